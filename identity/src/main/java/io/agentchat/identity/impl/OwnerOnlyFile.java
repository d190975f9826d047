package io.agentchat.identity.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** A file readable only by its owner (mode 0600 where the file system has POSIX modes). */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /**
   * Replaces {@code file} with {@code content} atomically: readers see the old file or the new one,
   * never a partial write, and a crash cannot leave a truncated key file behind. The mode is set
   * when the temporary file is created, so the content is never readable by others, not even
   * briefly. The parent directory must exist.
   */
  public static void replace(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly(dir));
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // Flushed before the rename so the new name never points at data still in flight.
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Creates {@code file} with {@code content} unless it already exists; returns whether it wrote.
   */
  public static boolean createIfAbsent(Path file, byte[] content) throws IOException {
    try {
      Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    // Non-POSIX file systems (Windows) cannot take a mode; their default ACLs apply instead.
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }
}
