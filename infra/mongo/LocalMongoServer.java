import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;

/**
 * The local stack's MongoDB-wire server: mongo-java-server with its H2 (MVStore) backend, one
 * data file, on loopback. For development and tests only; deployments use a real MongoDB.
 *
 * <pre>java -cp 'libs/*:classes' LocalMongoServer --host 127.0.0.1 --port 27017 --data DIR [--durability D]</pre>
 *
 * Two things differ from running mongo-java-server's own H2MongoServer:
 * <ul>
 * <li>It reports MongoDB 4.4 (wire version 9), the oldest the Node.js driver 7 accepts; the
 * library's newest built-in version reports wire version 8, which the driver refuses.</li>
 * <li>A write is committed to the data file before its reply is sent, so an acknowledged write
 * survives the server process being killed (kill -9): {@code --durability commit}, the default.
 * MVStore on its own commits about once a second ({@code --durability none}, kept to measure
 * against). {@code --durability fsync} also forces the file to the disk before the reply, so the
 * write survives an operating-system crash or power loss too, at a cost per write.</li>
 * </ul>
 */
public final class LocalMongoServer {

    /** MongoDB 4.4: wire version 9. */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    /**
     * Every commit writes a new chunk of a few KiB. With H2's defaults (old chunks kept 45 s,
     * background compaction) the file grew by about 17 MiB per 1,000 writes during a burst (230 MiB
     * after 12,000 updates); so a chunk's space is reused as soon as no stored version needs it.
     * The background compaction is off: it is the only thing besides a collection's own writers
     * (which hold that collection's lock, as its readers do) that moves a map's pages, so a reader
     * never meets a page whose space was reused. Measured: the file stays at about 15 MiB under
     * the same load, and it is compacted when the server stops.
     */
    private static final int RETENTION_MS = 0;
    private static final int AUTO_COMPACT_FILL_RATE = 0;
    private static final int COMPACT_ON_CLOSE_MS = 5000;

    enum Durability { NONE, COMMIT, FSYNC }

    /** H2Backend that makes every write durable before the server replies to it. */
    static final class DurableH2Backend extends H2Backend {
        private final MVStore store;
        private final Durability durability;

        DurableH2Backend(MVStore store, Durability durability) {
            super(store);
            this.store = store;
            this.durability = durability;
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            try {
                return super.handleCommand(channel, database, command, query);
            } catch (MongoServerException e) {
                throw e; // an error reply to the client (duplicate key, collection exists, ...)
            } catch (RuntimeException e) {
                System.err.printf("LocalMongoServer: command %s on %s failed: %s%n", command, database, e);
                e.printStackTrace();
                throw e;
            } finally {
                // Whatever the command changed, also when it failed part-way, is committed before
                // the reply. A read finds nothing unsaved and costs one check.
                if (durability != Durability.NONE && store.hasUnsavedChanges()) {
                    store.commit();
                    if (durability == Durability.FSYNC) {
                        store.sync();
                    }
                }
            }
        }

        @Override
        public void close() {
            // Called once the clients are gone: gives back the space of chunks no longer in use.
            store.compactFile(COMPACT_ON_CLOSE_MS);
            super.close();
        }
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    public static void main(String[] args) throws Exception {
        // Warnings and errors only (slf4j-simple logs every connection at info). The wire handler
        // logs each error reply with its stack trace (a collection that exists, a duplicate key):
        // those reach the client; unexpected failures are logged by DurableH2Backend. -D overrides.
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler", "off");
        String host = "127.0.0.1";
        int port = 27017;
        String data = null;
        Durability durability = Durability.COMMIT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = args[++i];
                case "--durability" -> durability = Durability.valueOf(args[++i].toUpperCase());
                default -> {
                    System.err.println("usage: LocalMongoServer [--host H] [--port P] --data DIR [--durability none|commit|fsync]");
                    System.exit(2);
                }
            }
        }
        if (data == null) {
            System.err.println("--data DIR is required");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(data));
        MVStore store = new MVStore.Builder().fileName(dir.resolve("mongo.mv.db").toString())
            .autoCompactFillRate(AUTO_COMPACT_FILL_RATE).open();
        store.setRetentionTime(RETENTION_MS);
        DurableH2Backend backend = new DurableH2Backend(store, durability);
        backend.version(MONGO_4_4);
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        System.err.printf("LocalMongoServer: MongoDB %s wire protocol on %s:%d, data %s, durability %s%n",
            MONGO_4_4.toVersionString(), host, port, dir.resolve("mongo.mv.db"), durability.name().toLowerCase());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Closes the clients, then the backend, which commits and closes the data file.
            server.shutdownNow();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
