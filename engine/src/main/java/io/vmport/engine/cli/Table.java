package io.vmport.engine.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A readable table: a header row, then rows, columns padded to their widest cell and two spaces apart. */
final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers;
    }

    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(headers.length + " cells expected, got " + cells.length);
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(r);
        return this;
    }

    int size() {
        return rows.size();
    }

    void print(PrintWriter out) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, headers, width);
        for (String[] r : rows) {
            line(out, r, width);
        }
        out.flush();
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(width[i] - cells[i].length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
