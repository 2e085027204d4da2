package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Paths on this machine, volume mounts included: read in place, written atomically. */
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
        return p;
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
}
