package io.cairn.jepsen.runner;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.nemesis.FaultInterval;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * timeline.png: one lane per client slot (a slot's successive process ids share it), each operation a
 * bar from invocation to completion, green when OK, red when FAIL, orange when indeterminate (drawn to
 * the end of the lane's next operation or of the run). Fault intervals are shaded behind the lanes and
 * labelled with the nemesis's name. The last lane holds the final reads.
 */
final class TimelinePlot {

  private static final int WIDTH = 1600;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int LANE = 18;
  private static final Color OK = new Color(40, 160, 60);
  private static final Color FAIL = new Color(210, 50, 50);
  private static final Color INFO = new Color(240, 150, 20);
  private static final Color FAULT = new Color(120, 120, 200, 60);

  private TimelinePlot() {}

  static void write(Path file, History history, Map<Integer, Integer> lanes, List<FaultInterval> faults, long origin,
      RunConfig config) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int laneCount = config.concurrency() + 1;
    int height = TOP + laneCount * LANE + 40;
    long last = origin + 1;
    for (CompletedOp op : history.operations()) {
      last = Math.max(last, op.completion() == null ? op.start() : op.completion().timeNanos());
    }
    double span = last - origin;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      int plotWidth = WIDTH - LEFT - RIGHT;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (FaultInterval f : faults) {
        int x0 = LEFT + (int) ((f.startNanos() - origin) / span * plotWidth);
        int x1 = LEFT + (int) ((f.endNanos() - origin) / span * plotWidth);
        g.setColor(FAULT);
        g.fillRect(x0, TOP - 12, Math.max(1, x1 - x0), laneCount * LANE + 12);
        g.setColor(Color.DARK_GRAY);
        g.drawString(f.nemesis(), x0 + 2, TOP - 2);
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(config.db().name().toLowerCase(java.util.Locale.ROOT) + " x" + config.nodes() + " " + config.workload()
          + (config.plantedBug() == null ? "" : " (planted bug " + config.plantedBug() + ")") + ", nemesis "
          + (config.nemeses().isEmpty() ? "none" : String.join(",", config.nemeses())) + ", seed " + config.seed()
          + "   (green ok, red fail, orange indeterminate; shaded: faults)", LEFT, 20);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int lane = 0; lane < laneCount; lane++) {
        g.setColor(Color.GRAY);
        g.drawString(lane == laneCount - 1 ? "final" : "client " + lane, 5, TOP + lane * LANE + 12);
      }
      g.setStroke(new BasicStroke(1f));
      for (CompletedOp op : history.operations()) {
        int lane = lanes.getOrDefault(op.process(), laneCount - 1);
        long end = op.completion() == null ? last : op.completion().timeNanos();
        int x0 = LEFT + (int) ((op.start() - origin) / span * plotWidth);
        int x1 = LEFT + (int) ((end - origin) / span * plotWidth);
        g.setColor(op.isOk() ? OK : op.isFail() ? FAIL : INFO);
        g.fillRect(x0, TOP + lane * LANE + 3, Math.max(1, x1 - x0), LANE - 6);
      }
      g.setColor(Color.BLACK);
      int axisY = TOP + laneCount * LANE + 5;
      g.drawLine(LEFT, axisY, WIDTH - RIGHT, axisY);
      for (int s = 0; s <= span / 1e9; s += Math.max(1, (int) (span / 1e9 / 20))) {
        int x = LEFT + (int) (s * 1e9 / span * plotWidth);
        g.drawLine(x, axisY, x, axisY + 4);
        g.drawString(s + " s", x - 8, axisY + 16);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }
}
