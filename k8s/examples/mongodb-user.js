// EXAMPLE for the MongoDB that ops bring: the apps' user on a replica set (MongoDB 7.0+), with
// read-write access to the four databases the data services use (one per service, named after
// it; with STACK_PREFIX set, prefixed by it) and nothing else. Run as an administrator:
//   mongosh "mongodb://admin@db-0.example.internal:27017/?replicaSet=rs0&tls=true" --file mongodb-user.js
// then store the connection string (../README.md, "Secrets"):
//   mongodb://client-portal:<password>@db-0.example.internal:27017,db-1.example.internal:27017,db-2.example.internal:27017/?replicaSet=rs0&authSource=admin&tls=true&w=majority&retryWrites=true
// or, with DNS seed lists (Atlas and most managed services):
//   mongodb+srv://client-portal:<password>@cluster0.example.mongodb.net/?authSource=admin&w=majority&retryWrites=true
// No database in the path: each service picks its own. w=majority: a write the apps saw succeed
// survives the loss of the primary. Password: passwordPrompt() asks for it, so it is never in a
// file or a shell history.
db.getSiblingDB('admin').createUser({
  user: 'client-portal',
  pwd: passwordPrompt(),
  roles: ['contacts', 'invites', 'notifications', 'files', 'audit'].map((db) => ({ role: 'readWrite', db })),
});
