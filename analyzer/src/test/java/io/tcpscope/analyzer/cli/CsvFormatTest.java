package io.tcpscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpscope.analyzer.report.CsvReport;
import io.tcpscope.analyzer.testing.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format csv}: every fixture's CSV is read by a strict RFC 4180 parser and by Python's
 * csv module, has the header row and one row per connection, and its values are the JSON
 * Lines fields flattened.
 */
class CsvFormatTest {

    /**
     * RFC 4180 §2, strictly: records end with CRLF (the last one too), fields are plain (no
     * quote, comma, CR or LF) or quoted with inner quotes doubled, every record has as many
     * fields as the header.
     */
    static List<List<String>> parseStrict(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quoted field");
                    }
                    char ch = text.charAt(i++);
                    if (ch == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(ch);
                    }
                }
            } else {
                int start = i;
                while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r') {
                    char ch = text.charAt(i++);
                    if (ch == '"' || ch == '\n') {
                        throw new IllegalArgumentException("bare " + (ch == '"' ? "quote" : "LF") + " at " + (i - 1));
                    }
                }
                field.append(text, start, i);
            }
            record.add(field.toString());
            field.setLength(0);
            if (i >= n) {
                throw new IllegalArgumentException("last record without CRLF");
            }
            char sep = text.charAt(i);
            if (sep == ',') {
                i++;
                if (i >= n) {
                    throw new IllegalArgumentException("comma at the end");
                }
            } else if (sep == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                i += 2;
                if (!records.isEmpty() && record.size() != records.get(0).size()) {
                    throw new IllegalArgumentException("record " + (records.size() + 1) + " has " + record.size()
                            + " fields, the header " + records.get(0).size());
                }
                records.add(record);
                record = new ArrayList<>();
            } else {
                throw new IllegalArgumentException("after a quoted field: '" + sep + "' at " + i);
            }
        }
        return records;
    }

    @Test
    void strictParserRejectsWhatRfc4180Forbids() {
        assertEquals(List.of(List.of("a", "b"), List.of("x,y", "say \"hi\"")),
                parseStrict("a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n"));
        assertEquals(List.of(List.of("a", ""), List.of("", "z")), parseStrict("a,\r\n,z\r\n"));
        assertThrows(IllegalArgumentException.class, () -> parseStrict("a,b\n1,2\n"));
        assertThrows(IllegalArgumentException.class, () -> parseStrict("a,b\r\n1,2"));
        assertThrows(IllegalArgumentException.class, () -> parseStrict("a,b\r\n1\r\n"));
        assertThrows(IllegalArgumentException.class, () -> parseStrict("a,b\r\nx\"y,2\r\n"));
        assertThrows(IllegalArgumentException.class, () -> parseStrict("a,b\r\n\"x\"y,2\r\n"));
    }

    @Test
    void fixtures(@TempDir Path tmp) throws IOException, InterruptedException {
        List<Path> captures = ZeekFormatTest.fixtureCaptures();
        assertTrue(captures.size() >= 20, "fixtures not found at " + CliRun.fixtures());
        boolean python = python3();
        for (Path p : captures) {
            CliRun r = CliRun.of("analyze", "--format", "csv", p.toString());
            assertTrue(r.exit() == ExitCode.OK || r.exit() == ExitCode.DAMAGED, p + ": " + r);
            List<List<String>> records = parseStrict(r.out());
            assertEquals(CsvReport.COLUMNS, records.get(0), p.toString());
            List<Map<String, Object>> jsonl = ZeekFormatTest.jsonLines(CliRun.of("analyze", "--format", "jsonl",
                    p.toString()).out()).stream().filter(o -> "connection".equals(o.get("type")))
                    .collect(Collectors.toList());
            assertEquals(jsonl.size(), records.size() - 1, p + ": one row per connection");
            for (int k = 0; k < jsonl.size(); k++) {
                Map<String, Object> j = jsonl.get(k);
                List<String> row = records.get(k + 1);
                String where = p + " row " + (k + 1);
                assertEquals(String.valueOf(j.get("id")), col(row, "id"), where);
                assertEquals(Json.object(j.get("client")).get("ip"), col(row, "client_ip"), where);
                assertEquals(String.valueOf(Json.object(j.get("server")).get("port")), col(row, "server_port"), where);
                assertEquals(Json.object(j.get("final")).get("client"), col(row, "client_final"), where);
                assertEquals(Json.object(j.get("final")).get("server"), col(row, "server_final"), where);
                assertEquals(j.get("end_reason"), col(row, "end_reason"), where);
                assertEquals(String.join(";", strings(j.get("flags"))), col(row, "flags"), where);
                assertEquals(Json.array(j.get("diagnoses")).stream().map(d -> (String) Json.object(d).get("code"))
                        .collect(Collectors.joining(";")), col(row, "diagnoses"), where);
                assertEquals(Json.array(Json.object(j.get("states")).get("client")).stream()
                        .map(t -> (String) Json.object(t).get("state")).collect(Collectors.joining(">")),
                        col(row, "client_states"), where);
                assertEquals(String.valueOf(Json.object(j.get("retransmissions")).get("server")),
                        col(row, "server_retransmissions"), where);
                assertEquals(String.valueOf(Json.object(j.get("packets")).get("client")), col(row, "client_packets"),
                        where);
            }
            if (python) {
                Path f = tmp.resolve("out.csv");
                Files.writeString(f, r.out(), StandardCharsets.UTF_8);
                assertEquals((records.size() - 1) + " " + records.get(0).size(), pythonRead(f), p + ": python csv");
            }
        }
        Assumptions.assumeTrue(python, "python3 not found: the CSV was checked by the strict parser only");
    }

    private static List<String> strings(Object array) {
        return Json.array(array).stream().map(String::valueOf).collect(Collectors.toList());
    }

    private static String col(List<String> row, String name) {
        return row.get(CsvReport.COLUMNS.indexOf(name));
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import csv").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Python's csv module, strict dialect: "rows fields" of what it read, every row as long as the header. */
    private static String pythonRead(Path f) throws IOException, InterruptedException {
        String script = "import csv,sys\n"
                + "with open(sys.argv[1], newline='') as fh:\n"
                + "    rows = list(csv.reader(fh, strict=True))\n"
                + "assert all(len(r) == len(rows[0]) for r in rows), 'ragged'\n"
                + "d = list(csv.DictReader(open(sys.argv[1], newline='')))\n"
                + "assert all(r['client_ip'] for r in d)\n"
                + "print(len(rows) - 1, len(rows[0]))\n";
        Process p = new ProcessBuilder("python3", "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 hung");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
