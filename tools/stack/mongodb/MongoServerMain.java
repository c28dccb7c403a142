// mongodb wire protocol for the local stack: de.bwaldvogel mongo-java-server with its h2 backend
// (one MVStore file), behind this small main because the library ships none.
//   java -cp <jars>:<dir of this class> MongoServerMain <host> <port> <mvstore-file>
// the listener is bound only after the file is open and its databases are loaded, so an open port
// means the server answers. SIGTERM/SIGINT run the shutdown hook, which closes the clients and the
// MVStore, so the file is left consistent (kill -9 loses at most the last second of writes).

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class MongoServerMain {
    private static final Logger log = LoggerFactory.getLogger(MongoServerMain.class);

    private MongoServerMain() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: MongoServerMain <host> <port> <mvstore-file>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String file = args[2];

        H2Backend backend = new H2Backend(file);
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
            // closes the listener and the clients, stops the event loops, then backend.close()
            server.shutdownNow();
            log.info("stopped");
        }, "mongo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        log.info("listening on {}:{} with {}", host, port, backend);
    }
}
