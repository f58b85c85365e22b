package io.vmport.sccp.sim;

/** One device of a hunt list and the server that owns it. */
public record HuntEntry(String deviceName, String server) {
    public HuntEntry {
        if (deviceName == null || deviceName.isEmpty() || server == null || server.isEmpty()) {
            throw new IllegalArgumentException("deviceName and server are required, were '" + deviceName + "', '"
                    + server + "'");
        }
    }
}
