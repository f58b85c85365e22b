package io.vmport.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A MySQL Connector/J URL for one server or for the nodes of a replicated cluster (MariaDB Galera), the node's own
 * database node first; Connector/J fails over to the next host when one cannot be reached:
 *
 * <pre>
 * jdbc:mysql:// host[:port] [, host[:port]]... / database [? option=value [&amp; option=value]...]
 *               '-- the own node first; port 3306 when left out
 * </pre>
 *
 * @param hosts    the hosts in the order given, at least one, none twice
 * @param database the database name
 * @param options  the text after {@code ?}, empty when none
 */
public record JdbcUrl(List<HostPort> hosts, String database, String options) {
    public static final String PREFIX = "jdbc:mysql://";
    public static final int DEFAULT_PORT = 3306;
    /** A Galera cluster has at most a handful of nodes; more hosts than this is a mistake in the file. */
    public static final int MAX_HOSTS = 9;
    static final String ALLOWED = "jdbc:mysql://HOST[:PORT][,HOST[:PORT]...]/DATABASE[?OPTIONS]: one host, or the"
            + " nodes of a Galera cluster with this node's own database node first, each once, at most " + MAX_HOSTS
            + ", e.g. jdbc:mysql://10.0.0.5:3306,10.0.0.6:3306,10.0.0.7:3306/vmport";
    static final String READ_ONLY_ALLOWED = "failOverReadOnly=false (the default vmport sets) with several hosts:"
            + " every Galera node takes writes, and a node that failed over must go on writing";

    public JdbcUrl {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one host");
        }
        options = options == null ? "" : options;
    }

    /**
     * Parses {@code url}; a refusal names {@code field}, the URL and what is allowed.
     *
     * @throws ConfigException when the URL is not of the form above
     */
    public static JdbcUrl parse(String field, String url) {
        Checks.present(field, url, ALLOWED);
        if (!url.startsWith(PREFIX)) {
            throw new ConfigException(field, url, ALLOWED);
        }
        String rest = url.substring(PREFIX.length());
        int query = rest.indexOf('?');
        String options = query < 0 ? "" : rest.substring(query + 1);
        String path = query < 0 ? rest : rest.substring(0, query);
        int slash = path.indexOf('/');
        String authority = slash < 0 ? path : path.substring(0, slash);
        String database = slash < 0 ? "" : path.substring(slash + 1);
        if (authority.isEmpty() || database.isEmpty() || database.contains("/")) {
            throw new ConfigException(field, url, ALLOWED);
        }
        String[] parts = authority.split(",", -1);
        if (parts.length > MAX_HOSTS) {
            throw new ConfigException(field, url, ALLOWED + " (" + parts.length + " hosts given)");
        }
        List<HostPort> hosts = new ArrayList<>(parts.length);
        for (String part : parts) {
            String hostPort = part.trim();
            boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
            HostPort parsed;
            try {
                parsed = HostPort.parse(field, hasPort ? hostPort : hostPort + ":" + DEFAULT_PORT);
            } catch (ConfigException e) {
                throw new ConfigException(field, url, ALLOWED + " ('" + hostPort + "' is not a host[:port])");
            }
            for (HostPort h : hosts) {
                if (h.host().equalsIgnoreCase(parsed.host()) && h.port() == parsed.port()) {
                    throw new ConfigException(field, url, ALLOWED + " (" + h + " is given twice)");
                }
            }
            hosts.add(parsed);
        }
        if (hosts.size() > 1 && options.toLowerCase(Locale.ROOT).matches("(^|.*&)failoverreadonly=true(&.*|$)")) {
            throw new ConfigException(field, url, READ_ONLY_ALLOWED);
        }
        return new JdbcUrl(hosts, database, options);
    }

    /** Whether the URL names several hosts: the nodes of a replicated cluster. */
    public boolean multiHost() {
        return hosts.size() > 1;
    }

    /** The same URL with only the first host: this node's own database node. */
    public String firstHostOnly() {
        return hostOnly(0);
    }

    /** The same URL with only host {@code index} (0: the first, the own node). */
    public String hostOnly(int index) {
        return format(List.of(hosts.get(index)));
    }

    @Override
    public String toString() {
        return format(hosts);
    }

    private String format(List<HostPort> which) {
        StringBuilder b = new StringBuilder(PREFIX);
        for (int i = 0; i < which.size(); i++) {
            b.append(i == 0 ? "" : ",").append(which.get(i));
        }
        b.append('/').append(database);
        return options.isEmpty() ? b.toString() : b.append('?').append(options).toString();
    }
}
