package io.vmport.engine.cli;

import io.vmport.config.ConfigException;
import io.vmport.config.DatabaseConfig;
import io.vmport.config.NodeConfig;
import io.vmport.config.NodeConfigLoader;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.EmbeddedDatabase;
import io.vmport.engine.node.Node;
import io.vmport.engine.node.NodeStartException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmport node --config FILE}: runs one node of the cluster until SIGINT/SIGTERM (DESIGN section 4). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Runs one node (publisher or subscriber) from a YAML bootstrap file until SIGINT/SIGTERM.")
final class NodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the node's bootstrap file")
    Path configFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeConfig config;
        try {
            config = NodeConfigLoader.load(configFile);
        } catch (ConfigException e) {
            err.println("vmport node: bad configuration: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        applyLogLevel(config);
        EmbeddedDatabase embedded = null;
        Node node;
        try {
            DatabaseConfig db = config.database();
            DatabaseSettings settings;
            if (db.isEmbedded()) {
                embedded = NodeStartException.make("starting the embedded database in " + db.embeddedDir(),
                        () -> EmbeddedDatabase.builder(db.embeddedDir()).start());
                settings = embedded.settings();
                out.println("embedded database: " + embedded.jdbcUrl() + " (data in " + embedded.directory() + ")");
            } else {
                settings = DatabaseSettings.of(db.url(), db.user(), db.password()).withTimeouts(db.timeouts());
            }
            node = Node.start(config, settings.withMaxPoolSize(Math.min(db.poolSize(), DatabaseSettings.MAX_POOL_SIZE)));
        } catch (RuntimeException | LinkageError e) { // config, start, database, bind failures; a mismatched jar
            err.println("vmport node: cannot start " + config.server().configName() + ": "
                    + NodeStartException.explain(e));
            err.flush();
            if (embedded != null) {
                embedded.close();
            }
            return ExitCodes.USAGE;
        }
        out.println("vmport node " + node.describe());
        out.println("running; stop with Ctrl-C (SIGINT) or SIGTERM");
        out.flush();
        EmbeddedDatabase db = embedded;
        Foreground.runUntilSignalled(() -> {
            node.close();
            if (db != null) {
                db.close();
            }
        });
        out.println("vmport node " + config.server().configName() + " stopped");
        out.flush();
        return ExitCodes.OK;
    }

    /** The file's logLevel (SPEC CL-2: per-node bootstrap), unless -Dvmport.log.level was given. */
    private static void applyLogLevel(NodeConfig config) {
        if (System.getProperty("vmport.log.level") == null
                && LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.toLevel(config.logLevel().name()));
        }
    }
}
