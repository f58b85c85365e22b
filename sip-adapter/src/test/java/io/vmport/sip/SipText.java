package io.vmport.sip;

import java.util.ArrayList;
import java.util.List;

/** A SIP message as text, read the simple way tests need: status, headers by name, body. */
record SipText(String firstLine, List<String> headers, String body) {

    static SipText parse(String raw) {
        int split = raw.indexOf("\r\n\r\n");
        String head = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + 4);
        String[] lines = head.split("\r\n");
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            headers.add(lines[i]);
        }
        return new SipText(lines[0], headers, body);
    }

    boolean isResponse() {
        return firstLine.startsWith("SIP/2.0 ");
    }

    int status() {
        if (!isResponse()) {
            throw new AssertionError("not a response: " + firstLine);
        }
        return Integer.parseInt(firstLine.substring(8, 11));
    }

    String method() {
        return isResponse() ? header("CSeq").replaceAll("^\\d+\\s+", "") : firstLine.substring(0, firstLine.indexOf(' '));
    }

    /** The value of the first header with that name (or its compact form), or null. */
    String header(String name) {
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String n = h.substring(0, colon).trim();
            if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact(name))) {
                return h.substring(colon + 1).trim();
            }
        }
        return null;
    }

    String toTag() {
        String to = header("To");
        int at = to == null ? -1 : to.indexOf(";tag=");
        if (at < 0) {
            return null;
        }
        String rest = to.substring(at + 5);
        int end = rest.indexOf(';');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static String compact(String name) {
        return switch (name.toLowerCase()) {
            case "call-id" -> "i";
            case "contact" -> "m";
            case "content-type" -> "c";
            case "content-length" -> "l";
            case "from" -> "f";
            case "to" -> "t";
            case "via" -> "v";
            default -> name;
        };
    }

    @Override
    public String toString() {
        return firstLine + " " + headers + (body.isEmpty() ? "" : " body=" + body.replace("\r\n", "|"));
    }
}
