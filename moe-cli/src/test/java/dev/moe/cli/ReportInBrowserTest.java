package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a reader gets it: every number on the page is one the JSON report holds, the new tables
 * (calibration, whom the gate trusts per class) say what the JSON says, and in a real browser (headless Chromium)
 * every image decodes, has the size of the PNG it embeds and fits the page.
 */
class ReportInBrowserTest {

    /** Where Debian's package puts it; {@code MOE_CHROMIUM} names another. */
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("MOE_CHROMIUM", "/usr/bin/chromium"));

    @TempDir
    static Path dir;
    static Path html;
    static Document page;
    static JsonNode report;

    @BeforeAll
    static void evaluate() throws Exception {
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, MainTest.SMALL + "repeat: 2\n");
        html = dir.resolve("report.html");
        Path json = dir.resolve("report.json");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "--html", html.toString(), "--json", json.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        page = Jsoup.parse(html.toFile());
        report = new ObjectMapper().readTree(json.toFile());
    }

    /** A number as it stands alone (not the 1 of "expert1"), with its sign. */
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])[-+−]?\\d+(?:\\.\\d+)?(?![\\w])");

    @Test
    void everyNumberOnThePageIsInTheJson() {
        Set<String> known = new HashSet<>();
        collect(report, known);
        // Derived on the page, from the JSON: a label's test rows over all repeats, and the repeats' numbers.
        int repeats = report.get("repeats").asInt();
        for (JsonNode c : report.get("moePerClass")) {
            known.add(String.valueOf(Math.round(c.get("support").asDouble() * repeats)));
        }
        for (int i = 1; i <= repeats; i++) {
            known.add(String.valueOf(i));
        }
        Document copy = page.clone();
        copy.select("pre, #provenance, img, h1, h2, h3, th").remove();
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Element cell : copy.select("td")) {
            for (String n : numbers(cell.text())) {
                checked++;
                if (!known.contains(n)) {
                    unknown.add(n + " in a cell: " + cell.text());
                }
            }
        }
        // Prose has two fixed figures of its own: the 5 folds of the combiner's cross-validation, and "above 0".
        for (Element p : copy.select("p")) {
            for (String n : numbers(p.text())) {
                checked++;
                if (!known.contains(n) && !n.equals("5") && !n.equals("0")) {
                    unknown.add(n + " in: " + p.text());
                }
            }
        }
        assertTrue(checked > 200, "only " + checked + " numbers found on the page");
        assertEquals(List.of(), unknown, "numbers on the page that the JSON does not hold");
    }

    @Test
    void theCalibrationAndPerClassTablesSayWhatTheJsonSays() {
        JsonNode results = report.get("results");
        Elements calibration = page.select("table#calibration tbody tr");
        assertEquals(results.size(), calibration.size());
        assertEquals(results.size(), page.select("img.small").size(), "a reliability diagram per model");
        for (int i = 0; i < results.size(); i++) {
            JsonNode c = results.get(i).get("calibration");
            Elements cells = calibration.get(i).select("td");
            assertEquals(results.get(i).get("model").asText(), cells.get(0).text());
            assertEquals(f(c.get("expectedCalibrationError").asDouble()), cells.get(1).text());
            List<String> bins = new ArrayList<>();
            int rows = 0;
            for (JsonNode b : c.get("bins")) {
                bins.add(String.format(Locale.ROOT, "%.2f → %.2f (%d)", b.get("meanConfidence").asDouble(), b.get("accuracy").asDouble(),
                        b.get("rows").asInt()));
                rows += b.get("rows").asInt();
                assertTrue(b.get("meanConfidence").asDouble() >= b.get("low").asDouble() - 1e-9
                        && b.get("meanConfidence").asDouble() <= b.get("high").asDouble() + 1e-9, "a bin's confidence lies in it");
            }
            assertEquals(String.join(" · ", bins), cells.get(2).text());
            assertEquals(report.get("testRows").asInt() * report.get("repeats").asInt(), rows, "every test row of every repeat is binned");
        }

        JsonNode classes = report.get("routing").get("classes");
        Elements rows = page.select("table#class-routing tbody tr");
        assertEquals(report.get("labels").size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode c = classes.get(i);
            Elements cells = rows.get(i).select("td");
            assertEquals(c.get("label").asText(), cells.get(0).text());
            assertEquals(c.get("rows").asText(), cells.get(1).text());
            assertEquals(c.get("mostWeighted").asText(), cells.get(2).text());
            assertEquals(f(c.get("mostWeightedWeight").asDouble()), cells.get(3).text());
            assertEquals(f(c.get("mostWeightedAccuracy").asDouble()), cells.get(4).text());
            assertEquals(c.get("mostAccurate").asText(), cells.get(5).text());
            assertEquals(f(c.get("mostAccurateAccuracy").asDouble()), cells.get(6).text());
            assertEquals(f(c.get("moeAccuracy").asDouble()), cells.get(7).text());
            // The mixture's accuracy on a label is its recall there: the confusion matrix's diagonal over the row.
            JsonNode confusion = report.get("moeConfusion").get(i);
            int total = 0;
            for (JsonNode n : confusion) {
                total += n.asInt();
            }
            assertEquals(total, c.get("rows").asInt(), "the routing table and the confusion matrix count the same rows");
            assertEquals((double) confusion.get(i).asInt() / total, c.get("moeAccuracy").asDouble(), 1e-9);
        }
        // The experts here are MLPs: the page says why Tribuo's ensemble is not among the rows.
        assertTrue(page.select("p.note").text().contains("tribuo-ensemble is not shown"), page.select("p.note").text());
    }

    @Test
    void inHeadlessChromiumEveryImageDecodesAtItsOwnSizeAndFitsThePage() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: no headless Chromium at " + CHROMIUM
                + " (apt-get install chromium, or set MOE_CHROMIUM)");
        // The page as written, plus a probe that, once everything has loaded, writes down what the browser made of
        // each image and SVG: its decoded (natural) size and the size it is drawn at.
        String probe = "<script>window.addEventListener('load',()=>{const out=[];"
                + "for(const e of document.querySelectorAll('img,svg')){const r=e.getBoundingClientRect();"
                + "out.push([e.tagName,e.naturalWidth||0,e.naturalHeight||0,Math.round(r.width),Math.round(r.height),"
                + "e.complete===undefined?true:e.complete].join(' '));}"
                + "const p=document.createElement('pre');p.id='probe';p.textContent=out.join('\\n')+'\\nwidth '"
                + "+document.documentElement.scrollWidth+' '+window.innerWidth;document.body.appendChild(p);});</script>";
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, Files.readString(html).replace("</body>", probe + "</body>"));
        String dom = chromium(probed, "--dump-dom");
        Document rendered = Jsoup.parse(dom);
        Element out = rendered.selectFirst("pre#probe");
        assertTrue(out != null, "the probe did not run: " + dom.substring(0, Math.min(300, dom.length())));
        List<String> lines = out.wholeText().lines().toList();

        Elements images = page.select("img, svg");
        assertEquals(images.size() + 1, lines.size(), out.wholeText());
        for (int i = 0; i < images.size(); i++) {
            Element img = images.get(i);
            String[] seen = lines.get(i).split(" ");
            assertEquals("true", seen[5], img.attr("alt") + " did not finish loading");
            if (seen[0].equals("IMG")) {
                String src = img.attr("src");
                BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
                assertEquals(png.getWidth() + "x" + png.getHeight(), seen[1] + "x" + seen[2], img.attr("alt") + ": the browser's decoded size");
            }
            int drawnWidth = Integer.parseInt(seen[3]);
            int drawnHeight = Integer.parseInt(seen[4]);
            assertTrue(drawnWidth >= 300 && drawnHeight >= 250, img.attr("alt") + " drawn at " + drawnWidth + "x" + drawnHeight);
        }
        String[] width = lines.get(lines.size() - 1).split(" ");
        assertTrue(Integer.parseInt(width[1]) <= Integer.parseInt(width[2]), "the page is wider than the window: " + lines.get(lines.size() - 1));

        // And a screenshot: a real picture of the page, not a blank one.
        Path png = dir.resolve("page.png");
        chromium(html, "--screenshot=" + png);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertEquals(WINDOW_WIDTH, shot.getWidth());
        int colours = 0;
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < shot.getHeight(); y += 7) {
            for (int x = 0; x < shot.getWidth(); x += 7) {
                if (seen.add(shot.getRGB(x, y)) && ++colours > 50) {
                    break;
                }
            }
        }
        assertTrue(colours > 50, "the screenshot is nearly blank: " + colours + " colours");
    }

    /**
     * At a phone's width (390 px) the page itself never scrolls sideways: a table or chart too wide for it scrolls in its
     * own box; the text has a margin; a wide chart stays at least 560 px wide (shrunk to 360 its text was 6 pixels
     * high) and the small ones fill the width. Before, the tables ran off the page and the charts shrank to fit it.
     */
    @Test
    void atAPhonesWidthOnlyTheWideBoxesScrollAndTheChartsStayReadable() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: no headless Chromium at " + CHROMIUM);
        assertTrue(page.selectFirst("meta[name=viewport]") != null, "without a viewport a phone lays the page out 980 px wide");
        String probe = "<script>window.addEventListener('load',()=>{const out=[];"
                + "for(const e of document.querySelectorAll('table,img')){const r=e.getBoundingClientRect();const box=e.parentElement;"
                + "out.push([e.tagName,e.className||'-',Math.round(r.left),Math.round(r.width),box.className||'-',"
                + "Math.round(box.getBoundingClientRect().right),getComputedStyle(box).overflowX].join(' '));}"
                + "parent.postMessage(out.join('\\n')+'\\nwidth '+document.documentElement.scrollWidth+' '+window.innerWidth+' '"
                + "+Math.round(document.querySelector('h1').getBoundingClientRect().left),'*');});</script>";
        Path probed = dir.resolve("probed-390.html");
        Files.writeString(probed, Files.readString(html).replace("</body>", probe + "</body>"));
        // Headless Chromium lays a window out at least 500 px wide: the page goes in a frame 390 px wide, which tells
        // the window what it measured.
        Path host = dir.resolve("phone.html");
        Files.writeString(host, "<html><body style=\"margin:0\"><iframe src=\"" + probed.toUri() + "\" style=\"border:0;width:390px;"
                + "height:2000px\"></iframe><script>window.addEventListener('message',e=>{const p=document.createElement('pre');"
                + "p.id='probe';p.textContent=e.data;document.body.appendChild(p);});</script></body></html>");
        Element out = Jsoup.parse(chromium(host, "--dump-dom")).selectFirst("pre#probe");
        assertTrue(out != null, "the probe did not run");
        List<String> lines = out.wholeText().lines().toList();
        String[] width = lines.get(lines.size() - 1).split(" ");
        assertEquals(width[2], width[1], "the page scrolls sideways at 390 px: " + lines.get(lines.size() - 1));
        assertTrue(Integer.parseInt(width[3]) >= 8, "the text touches the screen's edge: " + lines.get(lines.size() - 1));
        int tables = 0;
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] seen = line.split(" ");
            int left = Integer.parseInt(seen[2]);
            int drawn = Integer.parseInt(seen[3]);
            if (seen[0].equals("IMG") && seen[1].equals("small")) {
                assertTrue(drawn >= 340, "a reliability diagram drawn " + drawn + " px wide: " + line);
            } else {
                // Wide charts and tables sit in a box that scrolls; a chart keeps at least 560 px.
                assertEquals("scroll", seen[4], line);
                assertEquals("auto", seen[6], line);
                assertTrue(Integer.parseInt(seen[5]) <= 390, "its box is wider than the screen: " + line);
                assertTrue(seen[0].equals("TABLE") || drawn >= 560, "a chart drawn " + drawn + " px wide: " + line);
                tables += seen[0].equals("TABLE") ? 1 : 0;
            }
            assertTrue(left >= 0, line);
        }
        assertEquals(page.select("table").size(), tables, "every table was seen");
    }

    private static final int WINDOW_WIDTH = 1000;

    private static String chromium(Path page, String what) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + WINDOW_WIDTH + ",3000", "--virtual-time-budget=10000", what,
                page.toUri().toString());
        Path stdout = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(new File("/dev/null")).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 2 minutes");
        assertEquals(0, p.exitValue(), "chromium failed: " + command);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** Every number in the JSON (and in its strings), as the page may print it. */
    private static void collect(JsonNode node, Set<String> out) {
        if (node.isNumber()) {
            double v = node.asDouble();
            out.add(f(v));
            out.add(String.format(Locale.ROOT, "%+.3f", v));
            out.add(String.format(Locale.ROOT, "%.2f", v));
            out.add(String.format(Locale.ROOT, "%.1f", v));
            if (v == Math.rint(v)) {
                out.add(String.valueOf((long) v));
            }
        } else if (node.isTextual()) {
            out.addAll(numbers(node.asText()));
        } else {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static List<String> numbers(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            out.add(m.group().replace('−', '-'));
        }
        return out;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
