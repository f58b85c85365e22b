package io.vmport.engine.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's static files (issue 15), read from the jar's {@code console/} resources and kept once read:
 * {@code GET /} is {@code index.html}, {@code GET /console/NAME} the file NAME. No token is needed to load them
 * (the page signs in itself); every answer says {@code Cache-Control: no-cache}, so a new jar's page is fetched
 * again, and carries a Content-Security-Policy that lets the page load, run and connect to this server only.
 */
final class ConsoleFiles {
    static final String PREFIX = "/console/";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " media-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'";
    /** Names a file may have: no directory, no {@code ..}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private final String resourceRoot;
    private final Map<String, AdminResponse> cache = new ConcurrentHashMap<>();

    /** Files under the class-path folder {@code resourceRoot} (e.g. {@code /console/}). */
    ConsoleFiles(String resourceRoot) {
        this.resourceRoot = resourceRoot.endsWith("/") ? resourceRoot : resourceRoot + "/";
    }

    /** Whether {@code path} is the console's: {@code /} or below {@code /console/}. */
    static boolean serves(String path) {
        return path.equals("/") || path.startsWith(PREFIX);
    }

    /** The answer to {@code method path} for a path {@link #serves} accepts. */
    AdminResponse answer(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return AdminRoutes.notAllowed(method, "GET");
        }
        String name = path.equals("/") ? "index.html" : path.substring(PREFIX.length());
        if (!NAME.matcher(name).matches()) {
            return AdminResponse.error(404, "no such console file: " + path);
        }
        AdminResponse file = cache.get(name);
        if (file == null) {
            file = load(name);
            if (file.status() != 200) {
                return AdminResponse.error(404, "no such console file: " + path); // not kept: names are unbounded
            }
            cache.put(name, file);
        }
        return file;
    }

    private AdminResponse load(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return AdminResponse.error(404, name);
        }
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(resourceRoot + name)) {
            if (in == null) {
                return AdminResponse.error(404, name);
            }
            return new AdminResponse(200, type, in.readAllBytes(), Map.of("Cache-Control", "no-cache",
                    "Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + resourceRoot + name, e);
        }
    }
}
