package io.agentchat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of text in aligned columns, for people: a header, then one line per row, columns separated
 * by two spaces, the last one unpadded. Not thread-safe.
 */
final class TextTable {
  /** What an absent value prints as. */
  static final String NONE = "-";

  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = header;
  }

  /** Adds a row; null cells print as {@link #NONE}. */
  TextTable row(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException(
          "expected " + header.length + " cells, got " + cells.length);
    }
    rows.add(
        Arrays.stream(cells)
            .map(c -> c == null || c.isEmpty() ? NONE : oneLine(c))
            .toArray(String[]::new));
    return this;
  }

  /** Writes the header and the rows. */
  void print(PrintWriter out) {
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    printLine(out, header, widths);
    for (String[] row : rows) {
      printLine(out, row, widths);
    }
  }

  private static void printLine(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(cells[i]);
      if (i < cells.length - 1) {
        line.append(" ".repeat(widths[i] - cells[i].length() + 2));
      }
    }
    out.println(line.toString().stripTrailing());
  }

  // ----------------------------------------------------------------------- cell rendering

  /** A JSON value as a cell: text as is, numbers without a needless fraction, null as absent. */
  static String cell(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isNumber()) {
      return value.decimalValue().stripTrailingZeros().toPlainString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  /** A number as a cell, without a needless fraction; null as absent. */
  static String cell(BigDecimal value) {
    return value == null ? null : value.stripTrailingZeros().toPlainString();
  }

  /** Epoch milliseconds as a UTC time to the second, or null. */
  static String time(Long epochMillis) {
    if (epochMillis == null) {
      return null;
    }
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** At most {@code max} characters, ending with an ellipsis when cut. */
  static String truncate(String text, int max) {
    if (text == null || text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\r\\n\\t]+", " ");
  }
}
