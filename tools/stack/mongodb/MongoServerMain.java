// mongodb wire protocol for the local stack: de.bwaldvogel mongo-java-server with its h2 backend
// (one MVStore file), behind this small main because the library ships none.
//   java -cp <jars>:<dir of this class> MongoServerMain <host> <port> <mvstore-file>
// the listener is bound only after the file is open and its databases are loaded, so an open port
// means the server answers.
//
// durability: the library's H2Backend(file) leaves commits to the MVStore's background thread, about
// once a second, so a kill -9 lost up to a second of acknowledged writes. here, after every command
// that can write (anything but the reads listed below), the changes are committed and the file is
// fsynced before the command returns, and so before its reply is sent. concurrent writers share an
// fsync where they can (group commit). the background thread still runs, for the MVStore's
// compaction. the commit runs after the collection's lock is released: single-document updates stay
// atomic as before (tools/stack/check-mongo-durability.mjs checks both).
// SIGTERM/SIGINT run the shutdown hook, which closes the clients and the MVStore.
// -Dmongodb.durable=false runs the library's default (background commit only), for benchmarks.
//
// queries by a unique key: the library uses an index only when a query names exactly the index's
// fields, so a conditional write such as updateOne({_id, version}) or ({_id, state}) scanned the whole
// collection (38 ms at 20,000 documents, where the same update by _id alone took 2.5 ms). every
// optimistic write of the services has that shape, and a login's ({emailKey, deletedAt}) too. a query
// that fixes every field of a unique index (a value or $in) now finds its candidates through that
// index and matches the whole query against them, as mongod does.
//
// storage: the library leaves documents and unique-index keys to H2's ObjectDataType, which Java-
// serializes them; documents are stored as BSON here (BsonDocuments; documents a file holds from
// before are still read), and index keys are compared without serializing them each time
// (UniqueKeys). compaction waits for an idle store (AUTO_COMPACT_FILL_RATE).
//
// secondary indexes: the library accepts a non-unique index and builds nothing, so a sorted page, a
// count and the outbox relay's look for pending documents each read the whole collection (a product
// list at 10,000 products took 110 ms). here each is kept in memory, in its order (OrderedIndex),
// built from the documents when the file is opened and kept up to date by the library's index hooks.
// a query that fixes a leading run of its fields by equality, and sorts by the fields after them (or
// not at all), reads its candidates from the index in order and stops at its limit; a count whose
// query is only such equalities is the size of the index's range (OrderedIndex.Plan).

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class MongoServerMain {
    private static final Logger log = LoggerFactory.getLogger(MongoServerMain.class);
    private static final int RETENTION_MS = 2000;
    private static final int AUTO_COMPACT_FILL_RATE = 60;

    private MongoServerMain() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: MongoServerMain <host> <port> <mvstore-file>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String file = args[2];

        H2Backend backend;
        if (Boolean.parseBoolean(System.getProperty("mongodb.durable", "true"))) {
            log.info("opening MVStore in '{}' (commit and fsync before each write is acknowledged)", file);
            // compaction rewrites the live pages of sparse chunks into new ones. at H2's default target
            // (90 %) it ran under load too: with a commit per write, a file used for a while had 40 %
            // of the server's CPU in it during the saga. at 60 % it waits until the store is idle
            // (under load H2 compacts below the target's square, 36 %, and no chunk reads below 50 %),
            // and the file holds at most about 1.7 times its live data
            MVStore store = new MVStore.Builder().fileName(file).autoCompactFillRate(AUTO_COMPACT_FILL_RATE).open();
            // chunks that no version uses any more are kept 45 s by default, for readers of old versions
            // and for disks that flush late. every commit is fsynced here, and one commit per write
            // fills the file quickly (hundreds of MB in a burst of inserts), so reuse them after 2 s
            store.setRetentionTime(RETENTION_MS);
            IdFirstH2Database.store = store;
            backend = new DurableH2Backend(store);
        } else {
            log.warn("mongodb.durable=false: background commit about once a second, a kill -9 loses writes");
            backend = new H2Backend(file);
        }
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            // bind failed (port taken): shutdownNow() already ran and closed the backend
            log.error("could not listen on {}:{}", host, port, e);
            System.exit(1);
        }

        Thread hook = new Thread(() -> {
            log.info("stopping: closing clients and the MVStore");
            // closes the listener and the clients, stops the event loops, then backend.close(),
            // which commits what is left and closes the file
            server.shutdownNow();
            log.info("stopped");
        }, "mongo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        log.info("listening on {}:{} with {}", host, port, backend);
    }

    /**
     * Commits and fsyncs the MVStore after every command that may have written, before the command
     * returns. Both wire paths (OP_MSG and OP_QUERY commands) go through handleCommand, and the
     * handler sends the reply only after it returns. Plain OP_QUERY finds (handleQuery) only read.
     */
    static final class DurableH2Backend extends H2Backend {
        // commands that never write: no commit or fsync for them. anything else, including commands
        // this list doesn't know, is treated as a write.
        private static final Set<String> READS = Set.of(
            "find", "getmore", "count", "distinct", "aggregate", "listcollections", "listindexes",
            "listdatabases", "ismaster", "hello", "buildinfo", "ping", "whatsmyuri", "serverstatus",
            "dbstats", "collstats", "getlasterror", "getlog", "getparameter", "getcmdlineopts",
            "hostinfo", "connectionstatus", "killcursors", "endsessions", "explain", "features",
            "getfreemonitoringstatus", "saslstart", "saslcontinue", "logout");

        private final MVStore store;
        // group commit: a writer takes a ticket once its commit() has returned; an fsync that starts
        // after ticket n was taken makes writes 1..n durable, so waiting writers can share one
        private final AtomicLong committed = new AtomicLong();
        private final Object syncLock = new Object();
        private long synced; // guarded by syncLock

        DurableH2Backend(MVStore store) {
            super(store);
            this.store = store;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            // also called by H2Backend's constructor, for the databases already in the file
            return new IdFirstH2Database(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            if (isRead(command, query)) {
                return super.handleCommand(channel, databaseName, command, query);
            }
            try {
                return super.handleCommand(channel, databaseName, command, query);
            } finally {
                // also after a failed command: an ordered insert can fail after writing some documents.
                // if this throws, the client gets an error, not an acknowledgement
                commitAndSync();
            }
        }

        private static boolean isRead(String command, Document query) {
            String c = command.toLowerCase(Locale.ROOT);
            if (!READS.contains(c)) {
                return false;
            }
            if (c.equals("aggregate") && query.get("pipeline") instanceof List<?> pipeline) {
                // $out and $merge write
                for (Object stage : pipeline) {
                    if (stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge"))) {
                        return false;
                    }
                }
            }
            return true;
        }

        private void commitAndSync() {
            // writes this thread's changes, unless a store already under way took them along
            store.commit();
            // the MVStore's background commit hands its writes to executor threads, so a store that
            // took our changes may still be writing: wait until everything handed over is written
            store.executeFilestoreOperation(() -> {});
            long ticket = committed.incrementAndGet();
            synchronized (syncLock) {
                if (synced >= ticket) {
                    return; // an fsync that started after our commit covered it
                }
                long upTo = committed.get();
                store.sync();
                synced = upTo;
            }
        }
    }

    /** H2Database whose collections look a query's _id up in the _id index first (see the header) */
    static final class IdFirstH2Database extends H2Database {
        // the map names H2Database gives a collection's documents and metadata (private to it in 1.47.0)
        private static final String DATA_PREFIX = "databases.";
        private static final String META_PREFIX = "meta.";
        // H2Database keeps its store private and opens the file's collections in its constructor, before
        // a field of this class could be set: the one store of the process, set before the backend is made
        static volatile MVStore store;

        IdFirstH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
            super(databaseName, store, cursorRegistry);
        }

        // the map name H2Database gives a unique index (private to it in 1.47.0)
        private static final String INDEX_INFIX = "._index_";
        private static final Constructor<H2UniqueIndex> UNIQUE_INDEX;
        static {
            try {
                // package-private in 1.47.0
                UNIQUE_INDEX = H2UniqueIndex.class.getDeclaredConstructor(MVMap.class, String.class, List.class, boolean.class);
                UNIQUE_INDEX.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> documents =
                store.openMap(DATA_PREFIX + fullName, new MVMap.Builder<Object, Document>().valueType(BsonDocuments.INSTANCE));
            return new IdFirstH2Collection(this, collectionName, options, documents, store.openMap(META_PREFIX + fullName),
                cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            return new OrderedIndex(indexName, keys);
        }

        // the driver's countDocuments: [{$match}, {$group: {_id: 1, n: {$sum: 1}}}], answered by the
        // collection's count (an index's range where it covers the query) instead of the aggregation
        // framework, which copies every document it matches
        @Override
        public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
                                      Oplog oplog) {
            if (command.equalsIgnoreCase("aggregate")) {
                Document counted = countDocuments(query);
                if (counted != null) {
                    return counted;
                }
            }
            return super.handleCommand(channel, command, query, databaseResolver, oplog);
        }

        private Document countDocuments(Document query) {
            if (!(query.get("aggregate") instanceof String collectionName) || !(query.get("pipeline") instanceof List<?> pipeline)
                || pipeline.size() != 2 || query.containsKey("collation") || query.containsKey("hint")
                || !(pipeline.get(0) instanceof Document match) || match.size() != 1
                || !(match.get("$match") instanceof Document filter)
                || !(pipeline.get(1) instanceof Document group) || group.size() != 1
                || !(group.get("$group") instanceof Document spec) || spec.size() != 2 || !spec.containsKey("_id")
                || !(spec.get("n") instanceof Document sum) || sum.size() != 1 || !isOne(sum.get("$sum"))
                || !(resolveCollection(collectionName, false) instanceof IdFirstH2Collection collection)) {
                return null;
            }
            int n = collection.count(filter, 0, 0);
            List<Document> batch = n == 0 ? List.of() : List.of(new Document("_id", spec.get("_id")).append("n", n));
            Document cursor = new Document("id", 0L).append("ns", getFullCollectionNamespace(collectionName)).append("firstBatch", batch);
            return new Document("cursor", cursor).append("ok", 1.0);
        }

        private static boolean isOne(Object value) {
            return value instanceof Number number && !(value instanceof Double d && d.isNaN()) && number.doubleValue() == 1.0;
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            String name = getFullCollectionNamespace(collectionName) + INDEX_INFIX + indexName;
            MVMap<KeyValue, Object> entries = store.openMap(name, new MVMap.Builder<KeyValue, Object>().keyType(UniqueKeys.INSTANCE));
            try {
                return UNIQUE_INDEX.newInstance(entries, indexName, keys, sparse);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot open unique index " + name, e);
            }
        }
    }

    /**
     * A collection's documents in the MVStore as BSON. The library leaves them to H2's ObjectDataType,
     * which stores a Document with Java serialization: a profile of the saga had a third of the
     * server's CPU in ObjectOutputStream and ObjectInputStream, writing every page a write changed and
     * reading every page the cache had dropped. A value written by ObjectDataType (a file from before)
     * is still read, and is written as BSON the next time its page is.
     */
    static final class BsonDocuments extends ObjectDataType {
        static final BsonDocuments INSTANCE = new BsonDocuments();
        // a tag ObjectDataType never writes (its own end at 119)
        private static final byte TAG_BSON = 127;
        // the memory a document takes in the page cache, against its BSON (H2 counts twice a value's
        // Java-serialized size, which is about as large as the objects); the cache is sized in it
        private static final int MEMORY_FACTOR = 6;
        // averaged over the documents written
        private volatile int averageMemory = 4096;

        @Override
        public int getMemory(Object obj) {
            return obj instanceof Document ? averageMemory : super.getMemory(obj);
        }

        @Override
        public void write(WriteBuffer buff, Object obj) {
            if (!(obj instanceof Document document)) {
                super.write(buff, obj);
                return;
            }
            ByteBuf bson = Unpooled.buffer(512);
            try {
                encode(document, bson);
                int length = bson.readableBytes();
                averageMemory = (int) ((MEMORY_FACTOR * (long) length + 15L * averageMemory) / 16);
                buff.put(TAG_BSON).putVarInt(length).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
            } finally {
                bson.release();
            }
        }

        // the library updates a stored document in place (AbstractMongoCollection.updateDocument) and
        // then puts it again, so a commit writing an older version of its page can meet it mid-update.
        // that version is superseded by the updating write's own commit, before that write is
        // acknowledged; ObjectDataType wrote whatever it read then, the encoder here reads again
        private static void encode(Document document, ByteBuf bson) {
            for (int attempt = 1; ; attempt++) {
                try {
                    BsonEncoder.encodeDocument(document, bson);
                    return;
                } catch (ConcurrentModificationException e) {
                    if (attempt == 1000) {
                        throw e;
                    }
                    bson.clear();
                    Thread.onSpinWait();
                }
            }
        }

        @Override
        public Object read(ByteBuffer buff) {
            if (buff.get(buff.position()) != TAG_BSON) {
                return super.read(buff);
            }
            buff.get();
            int length = DataUtils.readVarInt(buff);
            Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buff.slice(buff.position(), length)));
            buff.position(buff.position() + length);
            return document;
        }
    }

    /**
     * The keys of a unique index (the _id index among them) in the order the library stores them: by
     * their Java-serialized bytes, since KeyValue is not Comparable. H2 serializes both keys for every
     * comparison, about fifteen times per lookup; here a key of plain values is serialized once and its
     * bytes are remembered. The order, and the keys as stored, are the same as before.
     */
    static final class UniqueKeys extends ObjectDataType {
        static final UniqueKeys INSTANCE = new UniqueKeys();
        private static final int MAX_REMEMBERED = 50_000;
        // ObjectDataType's tag for a Java-serialized value (TYPE_SERIALIZED_OBJECT, package-private)
        private static final byte TYPE_SERIALIZED = 19;
        private final ConcurrentHashMap<KeyValue, byte[]> serialized = new ConcurrentHashMap<>();

        @Override
        public int compare(Object a, Object b) {
            if (a != b && a instanceof KeyValue ka && b instanceof KeyValue kb) {
                return compareNotNull(bytesOf(ka), bytesOf(kb));
            }
            return super.compare(a, b);
        }

        // as ObjectDataType writes a serialized value, from the remembered bytes
        @Override
        public void write(WriteBuffer buff, Object obj) {
            if (!(obj instanceof KeyValue key)) {
                super.write(buff, obj);
                return;
            }
            byte[] bytes = bytesOf(key);
            buff.put(TYPE_SERIALIZED).putVarInt(bytes.length).put(bytes);
        }

        // as ObjectDataType estimates it: twice the serialized size
        @Override
        public int getMemory(Object obj) {
            return obj instanceof KeyValue key ? 2 * bytesOf(key).length : super.getMemory(obj);
        }

        private byte[] bytesOf(KeyValue key) {
            if (!plain(key)) {
                return serialize(key);
            }
            if (serialized.size() >= MAX_REMEMBERED) {
                serialized.clear();
            }
            return serialized.computeIfAbsent(key, ObjectDataType::serialize);
        }

        // values whose equal instances serialize alike (a subdocument's equals ignores its fields' order)
        private static boolean plain(KeyValue key) {
            for (Object value : key) {
                if (!(value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof ObjectId)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class IdFirstH2Collection extends H2Collection {
        IdFirstH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                            org.h2.mvstore.MVMap<Object, Document> dataMap, org.h2.mvstore.MVMap<String, Object> metaMap,
                            CursorRegistry cursorRegistry) {
            super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                             Document fieldSelector) {
            String idField = getIdField();
            if (idField != null) {
                for (Index<Object> index : getIndexes()) {
                    Document byKey = index instanceof OrderedIndex || query.size() <= index.getKeys().size() ? null : fixedBy(index, query);
                    if (byKey != null && index.canHandle(byKey)) {
                        // the candidates by the unique key (_id, an email), each matched against the whole query
                        return matchDocuments(query, index.getPositions(byKey), orderBy, numberToSkip, limit, batchSize, fieldSelector);
                    }
                }
            }
            OrderedIndex.Plan plan = idField == null || uniqueIndexFits(query) ? null : planFor(query, orderBy);
            if (plan != null) {
                return queryInOrder(plan, query, numberToSkip, limit, batchSize, fieldSelector);
            }
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }

        // the query's conditions on the index's fields, if it has one on each
        private static Document fixedBy(Index<Object> index, Document query) {
            Document byKey = new Document();
            for (IndexKey key : index.getKeys()) {
                if (!query.containsKey(key.getKey())) {
                    return null;
                }
                byKey.put(key.getKey(), query.get(key.getKey()));
            }
            return byKey;
        }

        // a unique index the library looks the query up in: fewer candidates than any range
        private boolean uniqueIndexFits(Document query) {
            for (Index<Object> index : getIndexes()) {
                if (!(index instanceof OrderedIndex) && index.canHandle(query)) {
                    return true;
                }
            }
            return false;
        }

        // the ordered index that fixes the most fields of the query and gives its order
        private OrderedIndex.Plan planFor(Document query, Document orderBy) {
            OrderedIndex.Plan best = null;
            for (Index<Object> index : getIndexes()) {
                if (index instanceof OrderedIndex ordered) {
                    OrderedIndex.Plan plan = ordered.plan(query, orderBy);
                    if (plan != null && (best == null || plan.fixed() > best.fixed()
                        || (plan.fixed() == best.fixed() && plan.covered() && !best.covered()))) {
                        best = plan;
                    }
                }
            }
            return best;
        }

        private QueryResult queryInOrder(OrderedIndex.Plan plan, Document query, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
            List<Document> matched = new ArrayList<>();
            int toSkip = Math.max(numberToSkip, 0);
            for (OrderedIndex.Entry entry : plan.entries()) {
                // a covered query matches every entry of the range: skipped ones need not be read
                if (plan.covered() && toSkip > 0) {
                    toSkip--;
                    continue;
                }
                Document document = getDocument(entry.position());
                if (document == null || !documentMatchesQuery(document, query)) {
                    continue;
                }
                if (toSkip > 0) {
                    toSkip--;
                    continue;
                }
                matched.add(document);
                if (limit > 0 && matched.size() >= limit) {
                    break;
                }
            }
            // in their order already: the library's stream only projects them and makes the cursor
            return matchDocumentsFromStream(matched.stream(), new Document(), null, 0, 0, batchSize, fieldSelector);
        }

        // commands are serialized per collection (queries and writes are synchronized on it); a count is too
        @Override
        public synchronized int count(Document query, int skip, int limit) {
            if (query != null && !query.isEmpty() && getIdField() != null && !uniqueIndexFits(query)) {
                OrderedIndex.Plan plan = planFor(query, null);
                if (plan != null && plan.covered()) {
                    long n = Math.max(0, plan.size() - Math.max(skip, 0));
                    return (int) (limit > 0 ? Math.min(limit, n) : n);
                }
            }
            return super.count(query, skip, limit);
        }
    }

    /**
     * A non-unique index, in memory: every document's values of the index's fields with its position
     * (its _id), in the index's order. Built from the documents when the collection's indexes are opened
     * (the library adds every document to an empty index), then kept by the library's hooks on each
     * insert, update and delete. A document with an array in one of the fields makes it multikey, and a
     * multikey index answers nothing (its entries would not be one per document).
     */
    static final class OrderedIndex extends Index<Object> {
        // range ends, outside every value
        private static final Object LOW = new Object();
        private static final Object HIGH = new Object();
        private static final ValueComparator POSITIONS = ValueComparator.asc();

        record Entry(Object[] values, Object position) {}

        /** a query's candidates, the range of entries its equalities fix; covered: every entry matches the query */
        record Plan(NavigableSet<Entry> range, boolean reversed, int fixed, boolean covered) {
            /** in the order the query asks for */
            Iterable<Entry> entries() {
                return reversed ? range.descendingSet() : range;
            }

            long size() {
                return range.size();
            }
        }

        private final ValueComparator[] order;
        private final NavigableSet<Entry> entries;
        private volatile boolean multikey;

        OrderedIndex(String name, List<IndexKey> keys) {
            // sparse as the library's EmptyIndex: a document it holds no entry for is no error
            super(name, keys, true);
            order = new ValueComparator[keys.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = keys.get(i).isAscending() ? ValueComparator.asc() : ValueComparator.desc();
            }
            entries = new ConcurrentSkipListSet<>(this::compare);
        }

        private int compare(Entry a, Entry b) {
            for (int i = 0; i < order.length; i++) {
                int c = compareValues(a.values[i], b.values[i], order[i]);
                if (c != 0) {
                    return c;
                }
            }
            return compareValues(a.position, b.position, POSITIONS);
        }

        private static int compareValues(Object a, Object b, ValueComparator comparator) {
            if (a == b) {
                return 0;
            }
            if (a == LOW || b == HIGH) {
                return -1;
            }
            if (a == HIGH || b == LOW) {
                return 1;
            }
            return comparator.compare(a, b);
        }

        private Entry entryOf(Document document, Object position) {
            Object[] values = new Object[order.length];
            for (int i = 0; i < order.length; i++) {
                values[i] = Utils.getSubdocumentValueCollectionAware(document, getKeys().get(i).getKey());
                if (values[i] instanceof Collection) {
                    multikey = true;
                }
            }
            return new Entry(values, position);
        }

        /**
         * how this index answers a query: its first fields fixed by plain equalities of the query (an
         * operator, a subdocument, an array or a regular expression fixes nothing), then the sort by the
         * fields after them, all in the index's direction or all against it. null when it cannot: no
         * order asked and no field fixed, or an order it does not have.
         */
        Plan plan(Document query, Document orderBy) {
            if (multikey) {
                return null;
            }
            List<IndexKey> keys = getKeys();
            int fixed = 0;
            while (fixed < keys.size() && query.containsKey(keys.get(fixed).getKey()) && isPlain(query.get(keys.get(fixed).getKey()))) {
                fixed++;
            }
            boolean reversed = false;
            if (orderBy == null || orderBy.isEmpty()) {
                if (fixed == 0) {
                    return null;
                }
            } else {
                if (orderBy.size() > keys.size() - fixed) {
                    return null;
                }
                int i = fixed;
                for (Map.Entry<String, Object> sort : orderBy.entrySet()) {
                    if (!(sort.getValue() instanceof Number direction) || !sort.getKey().equals(keys.get(i).getKey())) {
                        return null;
                    }
                    boolean against = (direction.doubleValue() > 0) != keys.get(i).isAscending();
                    if (i > fixed && against != reversed) {
                        return null;
                    }
                    reversed = against;
                    i++;
                }
            }
            Object[] low = new Object[keys.size()];
            Object[] high = new Object[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                low[i] = i < fixed ? query.get(keys.get(i).getKey()) : LOW;
                high[i] = i < fixed ? query.get(keys.get(i).getKey()) : HIGH;
            }
            NavigableSet<Entry> range = entries.subSet(new Entry(low, LOW), true, new Entry(high, HIGH), true);
            boolean covered = query.size() == fixed;
            return new Plan(range, reversed, fixed, covered);
        }

        // values whose equality in a query is the comparator's: null matches a missing field too, as in
        // mongod; numbers compare by value (a negative zero is left out, the comparator orders it first)
        private static boolean isPlain(Object value) {
            return value == null || value instanceof String || value instanceof Boolean || value instanceof Instant
                || value instanceof ObjectId || value instanceof UUID
                || ((value instanceof Integer || value instanceof Long || value instanceof Double) && !isNegativeZeroOrNaN((Number) value));
        }

        private static boolean isNegativeZeroOrNaN(Number number) {
            double d = number.doubleValue();
            return Double.isNaN(d) || (d == 0.0 && 1 / d < 0);
        }

        @Override
        public Object getPosition(Document document) {
            return null;
        }

        @Override
        public void checkAdd(Document document, MongoCollection<Object> collection) {
        }

        @Override
        public void add(Document document, Object position, MongoCollection<Object> collection) {
            entries.add(entryOf(document, position));
        }

        @Override
        public Object remove(Document document) {
            Object position = document.get("_id");
            return position != null && entries.remove(entryOf(document, position)) ? position : null;
        }

        @Override
        public boolean canHandle(Document query) {
            return false;
        }

        @Override
        public Iterable<Object> getPositions(Document query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCount() {
            return entries.size();
        }

        // a skip list counts by walking it; whether it is empty it knows at once (asked for each index added)
        @Override
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        @Override
        public long getDataSize() {
            return 0;
        }

        @Override
        public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        }

        @Override
        public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
            Entry before = entryOf(oldDocument, position);
            Entry after = entryOf(newDocument, position);
            if (compare(before, after) != 0) {
                entries.remove(before);
                entries.add(after);
            }
        }

        @Override
        public void drop() {
            entries.clear();
        }
    }
}
