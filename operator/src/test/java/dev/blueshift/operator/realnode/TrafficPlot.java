package dev.blueshift.operator.realnode;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A PNG of a {@link TrafficTimeline}: requests per second, stacked by the revision that answered
 * (failed ones red, injected faults hatched dark), with a vertical line at each move of the active
 * Service, labelled with the Event that announced it. Drawn with the JDK alone (headless AWT).
 */
final class TrafficPlot {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x17becf), new Color(0x8c564b), new Color(0xbcbd22), new Color(0xe377c2)
    };
    private static final Color FAILED = new Color(0xd62728);

    private TrafficPlot() {}

    static void write(TrafficTimeline timeline, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<Long, Map<String, Long>> perSecond = timeline.perSecond();
        long seconds = perSecond.isEmpty()
                ? 1
                : perSecond.keySet().stream().mapToLong(s -> s).max().orElse(0) + 1;
        long peak = Math.max(
                1,
                perSecond.values().stream().mapToLong(TrafficPlot::total).max().orElse(1));
        Map<String, Color> colors = colors(timeline);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double barWidth = (double) plotWidth / seconds;

        // Axes and grid.
        g.setColor(new Color(0xdddddd));
        long step = niceStep(peak);
        for (long y = step; y <= peak; y += step) {
            int py = TOP + plotHeight - (int) (plotHeight * y / (double) peak);
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawLine(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
        for (long y = 0; y <= peak; y += step) {
            int py = TOP + plotHeight - (int) (plotHeight * y / (double) peak);
            g.drawString(Long.toString(y), LEFT - 8 - g.getFontMetrics().stringWidth(Long.toString(y)), py + 4);
        }
        long xStep = niceStep(seconds);
        for (long x = 0; x <= seconds; x += xStep) {
            int px = LEFT + (int) (x * barWidth);
            g.drawLine(px, TOP + plotHeight, px, TOP + plotHeight + 4);
            g.drawString(x + " s", px - 8, TOP + plotHeight + 18);
        }
        g.drawString("requests per second through the active Service, by the revision that answered", LEFT, TOP - 10);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        g.drawString(title, LEFT, TOP - 28);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));

        // Stacked bars.
        perSecond.forEach((second, counts) -> {
            int x = LEFT + (int) (second * barWidth);
            int w = Math.max(1, (int) Math.ceil(barWidth) - (barWidth > 4 ? 1 : 0));
            int base = TOP + plotHeight;
            for (Map.Entry<String, Long> c : counts.entrySet()) {
                int h = (int) Math.round(plotHeight * c.getValue() / (double) peak);
                g.setColor(colors.getOrDefault(c.getKey(), Color.GRAY));
                g.fillRect(x, base - h, w, h);
                base -= h;
            }
        });

        // The moves of the active Service.
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        int label = 0;
        for (TrafficTimeline.Move m : timeline.moves()) {
            int x = LEFT + (int) (timeline.seconds(m.seen().seen()) * barWidth);
            g.setColor(Color.BLACK);
            g.drawLine(x, TOP, x, TOP + plotHeight);
            String text =
                    m.announcement().map(TrafficTimeline.Announcement::reason).orElse("moved") + " -> "
                            + m.seen().to();
            // Right of its line, or left of it near the plot's right edge; four rows, so that close moves stay legible.
            int width = g.getFontMetrics().stringWidth(text);
            int textX = x + 4 + width > LEFT + plotWidth ? x - 4 - width : x + 4;
            g.drawString(text, textX, TOP + 14 + 14 * (label++ % 4));
        }

        // Legend.
        g.setStroke(new BasicStroke(1f));
        int ly = TOP;
        for (Map.Entry<String, Color> c : colors.entrySet()) {
            g.setColor(c.getValue());
            g.fillRect(WIDTH - RIGHT + 15, ly, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(legend(c.getKey()), WIDTH - RIGHT + 35, ly + 12);
            ly += 20;
        }
        g.drawString(
                timeline.requests().size() + " requests, " + timeline.failed().size() + " failed",
                WIDTH - RIGHT + 15,
                ly + 16);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static String legend(String outcome) {
        if (outcome.equals("FAILED")) {
            return "failed (no answer)";
        }
        return outcome.endsWith(" 500") ? outcome.replace(" 500", ": injected 500") : "revision " + outcome;
    }

    /** A colour per revision in the order they first answered; an injected fault a darker shade of its revision's. */
    private static Map<String, Color> colors(TrafficTimeline timeline) {
        Map<String, Color> colors = new LinkedHashMap<>();
        List<String> revisions = new ArrayList<>();
        for (TrafficRecorder.Request r : timeline.requests()) {
            if (r.revision() != null && !revisions.contains(r.revision())) {
                revisions.add(r.revision());
            }
        }
        for (int i = 0; i < revisions.size(); i++) {
            colors.put(revisions.get(i), PALETTE[i % PALETTE.length]);
        }
        for (TrafficRecorder.Request r : timeline.requests()) {
            if (r.injectedFault()) {
                colors.putIfAbsent(
                        TrafficTimeline.outcome(r),
                        colors.get(r.revision()).darker().darker());
            }
        }
        colors.put("FAILED", FAILED);
        return colors;
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** 1, 2 or 5 times a power of ten, for about five grid lines. */
    private static long niceStep(long range) {
        long raw = Math.max(1, range / 5);
        long power = 1;
        while (power * 10 <= raw) {
            power *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
