package io.vmport.loadtest.failover;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a measured failover (ST-8, ST-9) as a PNG: calls in progress per server over time, each event (the kill,
 * the survivor PRIMARY, the restart, the failback) as a vertical line. Reads the two CSV files that the
 * two-process failover test writes under {@code loadtest/target/failover/}:
 *
 * <pre>
 * samples: elapsed_ms,publisher_calls,subscriber_calls,publisher_status,subscriber_status
 *          (each server's calls and status as its own node reports them; empty while the node does not answer)
 * events:  elapsed_ms,event
 * </pre>
 *
 * <p>Usage: {@code java -cp loadtest/target/benchmarks.jar io.vmport.loadtest.failover.FailoverChart
 * loadtest/target/failover/failover-samples.csv loadtest/target/failover/failover-events.csv failover.png}
 */
public final class FailoverChart {
    public static final String SAMPLES_HEADER = "elapsed_ms,publisher_calls,subscriber_calls,publisher_status,"
            + "subscriber_status";
    public static final String EVENTS_HEADER = "elapsed_ms,event";
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 560;
    private static final Color[] EVENT_COLOURS = {new Color(0xC0392B), new Color(0x27AE60), new Color(0x7F8C8D),
            new Color(0x2980B9)};

    private FailoverChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: FailoverChart SAMPLES.csv EVENTS.csv OUT.png");
            System.exit(2);
        }
        draw(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        System.out.println("wrote " + args[2]);
    }

    /** Reads the samples and events and writes the picture to {@code png}. */
    public static void draw(Path samplesCsv, Path eventsCsv, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // CI machines have no display
        List<String[]> samples = rows(samplesCsv, SAMPLES_HEADER);
        List<String[]> events = rows(eventsCsv, EVENTS_HEADER);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("vmport failover: kill -9 of the PRIMARY, then failback (heartbeat 100 ms, timeout 500 ms)")
                .xAxisTitle("time (s)").yAxisTitle("calls in progress").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(3);

        int maxCalls = 1;
        for (int column = 1; column <= 2; column++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (String[] r : samples) {
                if (r.length > column && !r[column].isEmpty()) {
                    x.add(Double.parseDouble(r[0]) / 1000.0);
                    int calls = Integer.parseInt(r[column]);
                    y.add((double) calls);
                    maxCalls = Math.max(maxCalls, calls);
                } else if (!x.isEmpty() && !Double.isNaN(y.get(y.size() - 1))) {
                    x.add(Double.parseDouble(r[0]) / 1000.0); // a gap while the node does not answer
                    y.add(Double.NaN);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(column == 1 ? "publisher" : "subscriber", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(2f);
            s.setLineColor(column == 1 ? new Color(0xE67E22) : new Color(0x2C3E50));
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.ceil(maxCalls * 1.15));
        int i = 0;
        for (String[] e : events) {
            double t = Double.parseDouble(e[0]) / 1000.0;
            XYSeries line = chart.addSeries(e[1] + " (" + String.format("%.2f", t) + " s)", new double[] {t, t},
                    new double[] {0, Math.ceil(maxCalls * 1.15)});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(EVENT_COLOURS[i++ % EVENT_COLOURS.length]);
            line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<String[]> rows(Path csv, String header) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IOException(csv + ": expected the header '" + header + "', found '"
                    + (lines.isEmpty() ? "nothing" : lines.get(0)) + "'");
        }
        List<String[]> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (!lines.get(n).isBlank()) {
                rows.add(lines.get(n).split(",", -1));
            }
        }
        return rows;
    }
}
