package io.agentchat.reputation.receipts.impl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.reputation.receipts.ReceiptFileException;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading an export file without holding it: JSONL (one receipt per line, then a HEAD line) or one
 * JSON document {@code {"receipts":[…],"head":{…}}} read with Jackson's streaming parser. An {@link
 * #outline} first finds the format and the HEAD, which says whose chain it is and which key sealed
 * it; then a {@link Reader} hands over one record at a time.
 */
public final class ExportFile {
  /** Longest JSONL line read; a receipt is a few kilobytes. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  /** How far from the end of a JSONL file its HEAD line is looked for. */
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  /**
   * Duplicate members are refused: a receipt that means one thing to Jackson (last value wins) and
   * possibly another to some other parser must not verify.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** Reads one JSONL line, which must hold exactly one value. */
  private static final ObjectReader LINE =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ExportFile() {}

  /** The two layouts of an export. */
  public enum Format {
    /** One JSON object per line, the HEAD last. */
    JSONL,
    /** One document: {@code {"receipts":[…],"head":{…}}}. */
    JSON
  }

  /**
   * What a first look at the file found.
   *
   * @param format its layout
   * @param head the HEAD object, or null when there is none where it belongs
   * @param problem why the HEAD is missing or the document is damaged, or null
   */
  public record Outline(Format format, ObjectNode head, String problem) {}

  /** One record of the file. */
  public record Entry(long line, byte[] json, JsonNode parsed, String problem) {
    /** The record as a tree, parsing it now if it was read as raw bytes. */
    public JsonNode tree() throws JsonProcessingException {
      if (parsed != null) {
        return parsed;
      }
      try {
        return LINE.readTree(json);
      } catch (JsonProcessingException e) {
        throw e;
      } catch (IOException e) {
        // A byte array cannot fail to read; only its content can be wrong.
        throw new IllegalStateException(e);
      }
    }
  }

  /** Records one at a time, in file order. Not thread-safe. */
  public interface Reader extends Closeable {
    /** The next record, or null at the end (or where a damaged document stops reading). */
    Entry next() throws IOException;

    /** Why reading stopped before the end of the document, or null. */
    String stoppedBecause();
  }

  /**
   * Looks at a file: its format, and its HEAD (for JSONL the last non-blank line, read from the
   * end; for a JSON document a streaming pass that skips the receipts).
   *
   * @throws ReceiptFileException if the file is missing, unreadable, empty or not JSON
   */
  public static Outline outline(Path file) throws ReceiptFileException {
    Format format = format(file);
    try {
      return format == Format.JSONL ? jsonlOutline(file) : jsonOutline(file);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  /**
   * Opens a reader over the file's records.
   *
   * @throws ReceiptFileException if the file cannot be opened
   */
  public static Reader open(Path file, Format format) throws ReceiptFileException {
    try {
      return format == Format.JSONL ? new JsonlReader(file) : new JsonReader(file);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static Format format(Path file) throws ReceiptFileException {
    if (Files.isDirectory(file)) {
      throw new ReceiptFileException(file + " is a directory, not a receipts export");
    }
    try (JsonParser parser = MAPPER.createParser(file.toFile())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new ReceiptFileException(file + " is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw notAnExport(file);
      }
      JsonToken second = parser.nextToken();
      if (second == JsonToken.FIELD_NAME
          && (parser.currentName().equals("receipts") || parser.currentName().equals("head"))) {
        return Format.JSON;
      }
      return Format.JSONL;
    } catch (JsonProcessingException e) {
      throw new ReceiptFileException(
          file + " is not JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static Outline jsonlOutline(Path file) throws IOException {
    byte[] lastLine = lastNonBlankLine(file);
    if (lastLine == null) {
      return new Outline(Format.JSONL, null, "no HEAD line at the end: the file was cut short");
    }
    try {
      JsonNode last = LINE.readTree(lastLine);
      if (last.isObject() && "HEAD".equals(last.path("type").textValue())) {
        return new Outline(Format.JSONL, (ObjectNode) last, null);
      }
    } catch (JsonProcessingException e) {
      // A cut-off last line: reported as a bad line when the receipts are read.
    }
    return new Outline(Format.JSONL, null, "no HEAD line at the end: the file was cut short");
  }

  /** The last line holding anything but white space, if it is at most {@link #MAX_HEAD_BYTES}. */
  private static byte[] lastNonBlankLine(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, MAX_HEAD_BYTES);
      byte[] tail = new byte[size];
      in.seek(length - size);
      in.readFully(tail);
      int end = size;
      while (end > 0 && isBlank(tail[end - 1])) {
        end--;
      }
      int start = end;
      while (start > 0 && tail[start - 1] != '\n') {
        start--;
      }
      if (end == 0 || (start == 0 && size < length)) {
        return null;
      }
      return Arrays.copyOfRange(tail, start, end);
    }
  }

  private static Outline jsonOutline(Path file) throws IOException {
    ObjectNode head = null;
    boolean receipts = false;
    try (JsonParser parser = MAPPER.createParser(file.toFile())) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("head") && value == JsonToken.START_OBJECT) {
          head = parser.readValueAsTree();
        } else if (name.equals("receipts") && value != JsonToken.START_ARRAY) {
          return new Outline(Format.JSON, head, "receipts is not an array");
        } else {
          receipts |= name.equals("receipts");
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        return new Outline(Format.JSON, head, "data after the end of the document");
      }
    } catch (JsonProcessingException e) {
      return new Outline(Format.JSON, head, damaged(e));
    }
    if (!receipts) {
      return new Outline(Format.JSON, head, "no receipts array");
    }
    return new Outline(
        Format.JSON, head, head == null ? "no head object: the export is incomplete" : null);
  }

  private static String damaged(JsonProcessingException e) {
    long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    return "not valid JSON at line "
        + line
        + " ("
        + e.getOriginalMessage().lines().findFirst().orElse("")
        + "): the file was cut short or damaged";
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  private static ReceiptFileException notAnExport(Path file) {
    return new ReceiptFileException(
        file + " is not a receipts export (expected JSON objects, one per line)");
  }

  private static ReceiptFileException unreadable(Path file, IOException e) {
    if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
      return Files.exists(file)
          ? new ReceiptFileException("Cannot read " + file + ": permission denied", e)
          : new ReceiptFileException("No such file: " + file, e);
    }
    if (e instanceof AccessDeniedException) {
      return new ReceiptFileException("Cannot read " + file + ": permission denied", e);
    }
    return new ReceiptFileException("Cannot read " + file + ": " + e.getMessage(), e);
  }

  /** JSONL: splits lines itself, in large reads, and leaves parsing to the workers. */
  private static final class JsonlReader implements Reader {
    private static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK];
    private int position;
    private int limit;
    private byte[] line = new byte[8192];
    private long lineNumber;

    JsonlReader(Path file) throws IOException {
      this.in = Files.newInputStream(file);
    }

    @Override
    public Entry next() throws IOException {
      while (true) {
        int length = 0;
        boolean tooLong = false;
        boolean sawNewline = false;
        boolean sawAny = false;
        while (!sawNewline) {
          if (position == limit && !fill()) {
            break;
          }
          sawAny = true;
          int start = position;
          while (position < limit && chunk[position] != '\n') {
            position++;
          }
          int count = position - start;
          if (position < limit) {
            position++;
            sawNewline = true;
          }
          if (length + count > MAX_LINE_BYTES) {
            tooLong = true;
          } else {
            ensure(length + count);
            System.arraycopy(chunk, start, line, length, count);
            length += count;
          }
        }
        if (!sawAny) {
          return null;
        }
        lineNumber++;
        if (tooLong) {
          return new Entry(
              lineNumber, null, null, "line is longer than " + MAX_LINE_BYTES + " bytes");
        }
        int end = length;
        while (end > 0 && isBlank(line[end - 1])) {
          end--;
        }
        if (end > 0) {
          return new Entry(lineNumber, Arrays.copyOf(line, end), null, null);
        }
      }
    }

    @Override
    public String stoppedBecause() {
      return null;
    }

    private boolean fill() throws IOException {
      int read = in.read(chunk);
      if (read <= 0) {
        return false;
      }
      position = 0;
      limit = read;
      return true;
    }

    private void ensure(int capacity) {
      if (capacity > line.length) {
        line = Arrays.copyOf(line, Math.max(capacity, line.length * 2));
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** A JSON document: streams through {@code receipts}, building one receipt's tree at a time. */
  private static final class JsonReader implements Reader {
    private final JsonParser parser;
    private boolean inReceipts;
    private boolean done;
    private String stopped;

    JsonReader(Path file) throws IOException {
      this.parser = MAPPER.createParser(file.toFile());
    }

    @Override
    public Entry next() throws IOException {
      if (done) {
        return null;
      }
      try {
        if (!inReceipts && !findReceipts()) {
          done = true;
          return null;
        }
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY || token == null) {
          done = true;
          return null;
        }
        long line = parser.currentTokenLocation().getLineNr();
        JsonNode receipt = parser.readValueAsTree();
        return new Entry(line, null, receipt, null);
      } catch (JsonProcessingException e) {
        done = true;
        stopped = damaged(e);
        return null;
      }
    }

    /** Moves to the first element of {@code receipts}; false when the document has none. */
    private boolean findReceipts() throws IOException {
      if (parser.currentToken() == null && parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("receipts") && value == JsonToken.START_ARRAY) {
          inReceipts = true;
          return true;
        }
        parser.skipChildren();
      }
      return false;
    }

    @Override
    public String stoppedBecause() {
      return stopped;
    }

    @Override
    public void close() throws IOException {
      parser.close();
    }
  }
}
