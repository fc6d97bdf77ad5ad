package dev.ocppj.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Draws the fan-out figures of one or more peer-harness result files (JSONL) as a PNG: total
 * time, live heap per client and threads against the number of clients, a line per client
 * library (the best rep of each size). Plain Java2D, so it runs wherever the JDK does.
 *
 * <pre>java -cp benchmarks/target/ocpp-client-bench.jar dev.ocppj.benchmarks.PlotFanout \
 *   fanout.png results/peers-2026-12-07.jsonl [more.jsonl ...]</pre>
 */
public final class PlotFanout {
  private static final int PANEL_W = 520;
  private static final int PANEL_H = 400;
  private static final Color[] COLORS = {
    new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
  };

  private PlotFanout() {}

  /** One client's best rep per client count. */
  record Point(int clients, double totalS, double heapKb, double threads) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: PlotFanout out.png [--server ocppwsio] results.jsonl [more.jsonl ...]");
      System.exit(2);
    }
    // One server for every line (the harness's ocpp-ws-io server by default), so that the lines
    // differ only in the client.
    String server = "ocppwsio";
    java.util.List<String> files = new java.util.ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--server")) {
        server = args[++i];
      } else {
        files.add(args[i]);
      }
    }
    Map<String, TreeMap<Integer, Point>> series = new TreeMap<>();
    JsonMapper json = JsonMapper.builder().build();
    for (String file : files) {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode r = json.readTree(line);
        if (!"fanout".equals(r.path("bench").asString()) || r.path("connected").asInt() <= 0
            || r.path("connected").asInt() < r.path("clients").asInt()) {
          continue; // only complete fan-outs: a failed run has no figure to plot
        }
        if (!server.equals(r.path("server").asString())) {
          continue;
        }
        String name = r.path("client").asString();
        if (name.equals("ours")) {
          name += "NETTY".equals(r.path("settings").path("transport").asString()) ? " (netty)" : " (java-websocket)";
        }
        Point p =
            new Point(
                r.path("clients").asInt(),
                r.path("total_s").asDouble(),
                r.path("live_heap_per_client_kb").asDouble(),
                r.path("threads").asDouble());
        series.computeIfAbsent(name, k -> new TreeMap<>()).merge(p.clients(), p, (a, b) -> a.totalS() <= b.totalS() ? a : b);
      }
    }
    BufferedImage img = new BufferedImage(PANEL_W * 3, PANEL_H + 150, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    panel(g, 0, "fan-out total time (s)", series, Point::totalS, true);
    panel(g, PANEL_W, "live heap per client (KB)", series, Point::heapKb, false);
    panel(g, 2 * PANEL_W, "threads in the client process", series, Point::threads, true);
    legend(g, series, PANEL_H + 20);
    g.dispose();
    ImageIO.write(img, "png", Path.of(args[0]).toFile());
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("each client against the harness's " + server + " server, best rep per count", 70, PANEL_H + 140);
    System.out.println("wrote " + args[0] + " (" + series.size() + " series)");
  }

  private static void panel(
      Graphics2D g, int x0, String title, Map<String, TreeMap<Integer, Point>> series,
      ToDoubleFunction<Point> value, boolean logY) {
    int left = x0 + 70;
    int right = x0 + PANEL_W - 20;
    int top = 40;
    int bottom = PANEL_H - 40;
    double minX = Double.MAX_VALUE;
    double maxX = 0;
    double minY = Double.MAX_VALUE;
    double maxY = 0;
    for (TreeMap<Integer, Point> s : series.values()) {
      for (Point p : s.values()) {
        minX = Math.min(minX, p.clients());
        maxX = Math.max(maxX, p.clients());
        double v = value.applyAsDouble(p);
        if (v > 0) {
          minY = Math.min(minY, v);
          maxY = Math.max(maxY, v);
        }
      }
    }
    if (maxX == 0) {
      return;
    }
    double lx0 = Math.log10(minX);
    double lx1 = Math.max(lx0 + 1, Math.log10(maxX));
    double y0 = logY ? Math.floor(Math.log10(minY)) : 0;
    double y1 = logY ? Math.ceil(Math.log10(maxY)) : maxY * 1.1;
    if (y1 <= y0) {
      y1 = y0 + 1;
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, top - 15);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawRect(left, top, right - left, bottom - top);
    for (int c : new int[] {100, 1000, 5000, 10000}) {
      if (c < minX || c > maxX) {
        continue;
      }
      int x = (int) (left + (Math.log10(c) - lx0) / (lx1 - lx0) * (right - left));
      g.setColor(new Color(0xdddddd));
      g.draw(new Line2D.Double(x, top, x, bottom));
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%,d", c), x - 15, bottom + 15);
    }
    g.drawString("clients (log scale)", (left + right) / 2 - 45, bottom + 32);
    List<Double> ticks = new ArrayList<>();
    if (logY) {
      for (double e = y0; e <= y1; e++) {
        ticks.add(Math.pow(10, e));
      }
    } else {
      double step = niceStep(y1 / 5);
      for (double t = 0; t <= y1; t += step) {
        ticks.add(t);
      }
    }
    for (double t : ticks) {
      double f = logY ? (Math.log10(t) - y0) / (y1 - y0) : t / y1;
      int y = (int) (bottom - f * (bottom - top));
      g.setColor(new Color(0xdddddd));
      g.draw(new Line2D.Double(left, y, right, y));
      g.setColor(Color.BLACK);
      g.drawString(label(t), x0 + 8, y + 4);
    }
    int i = 0;
    for (TreeMap<Integer, Point> s : series.values()) {
      g.setColor(COLORS[i++ % COLORS.length]);
      g.setStroke(new BasicStroke(2.5f));
      int px = -1;
      int py = -1;
      for (Point p : s.values()) {
        double v = value.applyAsDouble(p);
        if (v <= 0) {
          continue;
        }
        double fy = logY ? (Math.log10(v) - y0) / (y1 - y0) : v / y1;
        int x = (int) (left + (Math.log10(p.clients()) - lx0) / (lx1 - lx0) * (right - left));
        int y = (int) (bottom - fy * (bottom - top));
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
    }
    g.setStroke(new BasicStroke(1));
  }

  private static void legend(Graphics2D g, Map<String, TreeMap<Integer, Point>> series, int y) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int i = 0;
    int x = 70;
    for (String name : series.keySet()) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(x, y + (i / 3) * 22, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(name, x + 20, y + 12 + (i / 3) * 22);
      i++;
      x = i % 3 == 0 ? 70 : x + PANEL_W;
    }
  }

  private static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String label(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
