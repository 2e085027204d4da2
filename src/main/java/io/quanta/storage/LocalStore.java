package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.stream.Stream;

/**
 * Paths on this machine, volume mounts included: read in place, written atomically. A folder (a dataset) is read
 * in place too, and is first checked for symbolic links that lead out of it: a link to a file or folder outside
 * the folder, or one that leads nowhere, is refused, so a dataset folder (from a volume, say) cannot make the
 * engine read {@code /etc} or a Secret's files. Links within the folder are fine. The folder itself may be a link:
 * the user named it. A link made after this check is not seen; the check guards what a dataset ships with.
 */
final class LocalStore {
    private LocalStore() {}

    static Path fetch(Location.Local loc, String expectedSha256) {
        Path p = loc.path();
        if (Files.isDirectory(p)) {
            throw new StorageException(p + " is a directory; expected a file");
        }
        if (!Files.isRegularFile(p)) {
            throw new StorageException("no such file: " + p.toAbsolutePath());
        }
        if (expectedSha256 != null) {
            try {
                Sha256.check(p.toString(), expectedSha256, Sha256.of(p));
            } catch (IOException e) {
                throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    static Path fetchFileOrTree(Location.Local loc) {
        Path p = loc.path();
        if (!Files.exists(p)) {
            throw new StorageException("no such file or directory: " + p.toAbsolutePath());
        }
        if (Files.isDirectory(p)) {
            refuseLinksOut(p);
        }
        return p;
    }

    static Path fetchTree(Location.Local loc) {
        Path p = loc.path();
        if (!Files.isDirectory(p)) {
            throw new StorageException(
                    Files.exists(p)
                            ? p + " is a file; expected a directory"
                            : "no such directory: " + p.toAbsolutePath());
        }
        refuseLinksOut(p);
        return p;
    }

    /** Refuses a symbolic link under {@code dir} (not followed while walking) that resolves outside it. */
    static void refuseLinksOut(Path dir) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new StorageException("cannot read the folder " + dir + ": " + Detail.of(e, "unreadable"), e);
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!Files.isSymbolicLink(entry)) {
                    continue;
                }
                Path target;
                try {
                    target = entry.toRealPath();
                } catch (IOException e) {
                    throw new StorageException("refusing the folder " + dir + ": " + entry
                            + " is a symbolic link to nothing (" + Files.readSymbolicLink(entry) + ")");
                }
                if (!target.startsWith(root)) {
                    throw new StorageException("refusing the folder " + dir + ": " + entry + " is a symbolic link to "
                            + target + ", outside the folder");
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StorageException("cannot read the folder " + dir + ": " + Detail.of(e, "unreadable"), e);
        }
    }

    static PublishedObject publish(Path local, Location.Local loc) {
        try (InputStream in = Files.newInputStream(local)) {
            return publish(in, loc);
        } catch (IOException e) {
            throw new StorageException("cannot write " + loc.path() + " from " + local + ": " + e.getMessage(), e);
        }
    }

    /** Copies the stream to the target atomically, hashing as it goes; on failure the target is untouched. */
    static PublishedObject publish(InputStream in, Location.Local loc) throws IOException {
        Path target = loc.path();
        if (Files.isDirectory(target)) {
            throw new StorageException(target + " is a directory; give the output file's name");
        }
        MessageDigest d = Sha256.newDigest();
        long size = AtomicFiles.write(target, out -> {
            byte[] buf = new byte[1 << 16];
            long n = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                d.update(buf, 0, r);
                out.write(buf, 0, r);
                n += r;
            }
            return n;
        });
        return new PublishedObject(target.toString(), size, Sha256.hex(d));
    }

    static void delete(Location.Local loc) {
        try {
            Files.deleteIfExists(loc.path());
        } catch (IOException e) {
            throw new StorageException("cannot delete " + loc.path() + ": " + Detail.of(e, "not deletable"), e);
        }
    }

    static void deleteTree(Location.Local loc) {
        Path root = loc.path();
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Deepest first; links are deleted, never followed.
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StorageException("cannot delete " + root + ": " + Detail.of(e, "not deletable"), e);
        }
    }
}
