import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
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
 * <li>Indexes live in memory, rebuilt from the documents when the server starts (see
 * {@link IndexedH2Database}): non-unique ones, which the library ignores, answer equality and
 * {@code $in} on a prefix of their keys; a query by {@code _id} plus other conditions reads that
 * document, not the whole collection; unique ones are hash maps.</li>
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
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            // Not the field: the H2Backend constructor opens the existing databases before it is set.
            return new IndexedH2Database(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        public void close() {
            // Called once the clients are gone: gives back the space of chunks no longer in use.
            store.compactFile(COMPACT_ON_CLOSE_MS);
            super.close();
        }
    }

    /**
     * A database whose collections answer queries through more than the library's exact-key
     * lookups. mongo-java-server 1.47 uses an index only when a query names exactly that index's
     * keys, and non-unique indexes not at all, so a poll for due work (or an update of one
     * document with a condition beside its `_id`) read the whole collection: its cost grew with
     * what is stored, not with the work. Here:
     * <ul>
     * <li>non-unique indexes are kept in memory (rebuilt from the data file at start) and answer
     * equality and {@code $in} on a prefix of their keys;</li>
     * <li>a query by {@code _id} (a value or {@code $in}) with other conditions reads only those
     * documents through the primary key.</li>
     * </ul>
     * An index only narrows the candidates: every candidate is still matched against the whole
     * query by the library, so results are the same as with a scan.
     */
    static final class IndexedH2Database extends H2Database {
        private static final Field DATA_MAP = field(H2Collection.class, "dataMap");
        private static final Field MV_STORE = field(H2Database.class, "mvStore");
        private static final Field META_MAP = field(H2Collection.class, "metaMap");
        private static final Method MAP_NAME_FOR_INDEX = method("mapNameForIndex", String.class, String.class);

        IndexedH2Database(String name, MVStore store, CursorRegistry cursorRegistry) {
            super(name, store, cursorRegistry);
        }

        private static Method method(String name, Class<?>... parameters) {
            try {
                Method method = H2Database.class.getDeclaredMethod(name, parameters);
                method.setAccessible(true);
                return method;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("mongo-java-server's H2Database changed: " + name, e);
            }
        }

        private static Field field(Class<?> owner, String name) {
            try {
                Field field = owner.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("mongo-java-server changed: " + owner.getSimpleName() + "." + name, e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
            // The library names and opens the collection's maps; we answer its queries.
            H2Collection plain = (H2Collection) super.openOrCreateCollection(name, options);
            try {
                return new IndexedH2Collection(this, name, options,
                    (MVMap<Object, Document>) DATA_MAP.get(plain), (MVMap<String, Object>) META_MAP.get(plain),
                    cursorRegistry);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collection, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            // The library's own index map would go stale while this one serves: it is removed, so a
            // launcher that still uses it rebuilds it from the documents instead of trusting it.
            try {
                // (The H2Database constructor opens the collections and indexes, before a field of ours is set.)
                MVStore store = (MVStore) MV_STORE.get(this);
                store.removeMap((String) MAP_NAME_FOR_INDEX.invoke(this, collection, indexName));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            return new InMemoryUniqueIndex(indexName, keys, sparse);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collection, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            // Paths into subdocuments (a.b) are left to the library (ignored: queries scan).
            if (keys.stream().anyMatch(key -> key.getKey().contains(".") || key.getKey().startsWith("$"))) {
                return super.openOrCreateSecondaryIndex(collection, indexName, keys, sparse);
            }
            return new SecondaryIndex(indexName, keys, sparse);
        }
    }

    static final class IndexedH2Collection extends H2Collection {
        IndexedH2Collection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                            MVMap<String, Object> meta, CursorRegistry cursorRegistry) {
            super(database, name, options, data, meta, cursorRegistry);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fieldSelector) {
            Iterable<Object> positions = byPrimaryKey(query);
            if (positions == null && !exactlyByUniqueKey(query)) {
                positions = bySecondaryIndex(query);
            }
            if (positions == null) {
                return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fieldSelector);
        }

        /** `_id` with other conditions: the primary key's documents (the library scans for these). */
        private Iterable<Object> byPrimaryKey(Document query) {
            if (query.size() < 2 || !query.containsKey("_id")) {
                return null;
            }
            Document byId = new Document("_id", query.get("_id"));
            for (Index<Object> index : getIndexes()) {
                if (index.isUnique() && index.getKeys().size() == 1 && index.getKeys().get(0).getKey().equals("_id")
                    && index.canHandle(byId)) {
                    return index.getPositions(byId);
                }
            }
            return null;
        }

        private boolean exactlyByUniqueKey(Document query) {
            return getIndexes().stream().anyMatch(index -> index.isUnique() && index.canHandle(query));
        }

        /** The narrowest answer of the secondary indexes that can serve the query, or null. */
        private Iterable<Object> bySecondaryIndex(Document query) {
            Collection<Object> best = null;
            for (Index<Object> index : getIndexes()) {
                if (index instanceof SecondaryIndex secondary && secondary.canHandle(query)) {
                    Collection<Object> positions = secondary.getPositions(query);
                    if (best == null || positions.size() < best.size()) {
                        best = positions;
                    }
                }
            }
            return best;
        }
    }

    /**
     * A unique index in a hash map. The library's H2 unique index keeps its keys in an MVMap that
     * compares them by Java-serializing both sides at every step of its binary search: that was
     * the largest part of the server's CPU per insert and per update (measured with JFR). Rebuilt
     * from the documents when the server starts, like the secondary indexes.
     */
    static final class InMemoryUniqueIndex extends AbstractUniqueIndex<Object> {
        private final Map<KeyValue, Object> positions = new ConcurrentHashMap<>();

        InMemoryUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
        }

        @Override
        protected Object removeDocument(KeyValue keyValue) {
            return positions.remove(keyValue);
        }

        @Override
        protected boolean putKeyPosition(KeyValue keyValue, Object position) {
            return positions.putIfAbsent(keyValue, position) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return positions.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue keyValue) {
            return positions.get(keyValue);
        }

        @Override
        public long getCount() {
            return positions.size();
        }

        @Override
        public long getDataSize() {
            return 0;
        }

        @Override
        public void drop() {
            positions.clear();
        }
    }

    /**
     * A non-unique index in memory: for each prefix of its keys, a hash map from the (normalized)
     * values to the documents' positions; an array field contributes each element. Answers
     * equality and {@code $in} on the longest prefix of its keys that a query constrains so; null
     * and missing values, ranges and regular expressions are not answered from it.
     */
    static final class SecondaryIndex extends Index<Object> {
        /** Most key combinations one query looks up ($in on several keys multiplies). */
        private static final int MAX_LOOKUPS = 10_000;

        private final List<Map<KeyValue, Set<Object>>> byPrefix = new ArrayList<>();
        private final Map<Object, Set<KeyValue>> prefixesByPosition = new HashMap<>();

        SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            for (int i = 0; i < keys.size(); i++) {
                byPrefix.add(new HashMap<>());
            }
        }

        private static KeyValue key(List<Object> values) {
            return new KeyValue(values).normalized();
        }

        /** Every prefix of every combination of the document's values (array fields: each element). */
        private Set<KeyValue> prefixesOf(Document document) {
            Set<KeyValue> prefixes = new LinkedHashSet<>();
            List<List<Object>> combinations = new ArrayList<>();
            combinations.add(new ArrayList<>());
            for (String key : keys()) {
                Object value = document.get(key);
                List<Object> values = new ArrayList<>();
                if (value instanceof Collection<?> elements && !elements.isEmpty()) {
                    values.addAll(elements);
                } else {
                    values.add(value instanceof Collection ? null : value);
                }
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : combinations) {
                    for (Object v : values) {
                        List<Object> combination = new ArrayList<>(prefix);
                        combination.add(v);
                        next.add(combination);
                        prefixes.add(key(combination));
                    }
                }
                combinations = next;
            }
            return prefixes;
        }

        /** The values a query accepts for a key, when it names them by equality or $in; else null. */
        private static List<Object> equalityValues(Object condition) {
            if (condition instanceof Document operator) {
                if (operator.size() != 1) {
                    return null;
                }
                String name = operator.keySet().iterator().next();
                Object argument = operator.get(name);
                if (name.equals("$eq")) {
                    return equalityValues(argument);
                }
                if (name.equals("$in") && argument instanceof Collection<?> values) {
                    List<Object> accepted = new ArrayList<>();
                    for (Object value : values) {
                        if (!isPlain(value)) {
                            return null;
                        }
                        accepted.add(value);
                    }
                    return accepted;
                }
                return null;
            }
            return isPlain(condition) ? List.of(condition) : null;
        }

        /** A value equality can look up: not null, not an array or subdocument, not a pattern. */
        private static boolean isPlain(Object value) {
            return value != null && !(value instanceof Collection) && !(value instanceof Document)
                && !(value instanceof Pattern) && !BsonRegularExpression.isRegularExpression(value);
        }

        /** The key prefixes to look up for a query (the longest it constrains by equality), or null. */
        private List<List<Object>> lookups(Document query) {
            List<List<Object>> lookups = new ArrayList<>();
            lookups.add(List.of());
            for (String key : keys()) {
                List<Object> values = query.containsKey(key) ? equalityValues(query.get(key)) : null;
                if (values == null || (long) lookups.size() * values.size() > MAX_LOOKUPS) {
                    break;
                }
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : lookups) {
                    for (Object value : values) {
                        List<Object> combination = new ArrayList<>(prefix);
                        combination.add(value);
                        next.add(combination);
                    }
                }
                lookups = next;
                if (lookups.isEmpty()) {
                    return lookups; // $in: [] matches nothing
                }
            }
            return !lookups.isEmpty() && lookups.get(0).isEmpty() ? null : lookups;
        }

        @Override
        public synchronized boolean canHandle(Document query) {
            return lookups(query) != null;
        }

        @Override
        public synchronized Collection<Object> getPositions(Document query) {
            Set<Object> positions = new LinkedHashSet<>();
            for (List<Object> prefix : lookups(query)) {
                Set<Object> found = byPrefix.get(prefix.size() - 1).get(key(prefix));
                if (found != null) {
                    positions.addAll(found);
                }
            }
            return new ArrayList<>(positions);
        }

        @Override
        public synchronized Object getPosition(Document document) {
            Object id = document.get("_id");
            return prefixesByPosition.containsKey(id) ? id : null;
        }

        @Override
        public void checkAdd(Document document, MongoCollection<Object> collection) {
            // Not unique: nothing to refuse.
        }

        @Override
        public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
            Set<KeyValue> prefixes = prefixesOf(document);
            prefixesByPosition.put(position, prefixes);
            for (KeyValue prefix : prefixes) {
                byPrefix.get(prefix.size() - 1).computeIfAbsent(prefix, k -> new HashSet<>()).add(position);
            }
        }

        private void removePosition(Object position) {
            Set<KeyValue> prefixes = prefixesByPosition.remove(position);
            if (prefixes == null) {
                return;
            }
            for (KeyValue prefix : prefixes) {
                Map<KeyValue, Set<Object>> map = byPrefix.get(prefix.size() - 1);
                Set<Object> positions = map.get(prefix);
                if (positions != null) {
                    positions.remove(position);
                    if (positions.isEmpty()) {
                        map.remove(prefix);
                    }
                }
            }
        }

        @Override
        public synchronized Object remove(Document document) {
            // The H2 backend's position of a document is its _id.
            Object position = document.get("_id");
            removePosition(position);
            return position;
        }

        @Override
        public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
            // Not unique: nothing to refuse.
        }

        @Override
        public synchronized void updateInPlace(Document oldDocument, Document newDocument, Object position,
                                               MongoCollection<Object> collection) {
            if (!nullAwareEqualsKeys(oldDocument, newDocument)) {
                removePosition(position);
                add(newDocument, position, collection);
            }
        }

        @Override
        public synchronized long getCount() {
            return prefixesByPosition.size();
        }

        @Override
        public long getDataSize() {
            return 0;
        }

        @Override
        public synchronized void drop() {
            byPrefix.forEach(Map::clear);
            prefixesByPosition.clear();
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
