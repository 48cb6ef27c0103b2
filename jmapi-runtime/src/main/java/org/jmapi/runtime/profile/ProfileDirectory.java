package org.jmapi.runtime.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jmapi.HResult;
import org.jmapi.MapiException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The on-disk layout of {@code home/profiles/}: one {@code <encoded name>.profile.json} per profile, the
 * {@code default} marker, {@code installed-services.json} (service names whose MSG_SERVICE_INSTALL ran) and the
 * {@code .lock} file.
 *
 * <p>Every file is replaced atomically (temp file in the same directory, forced to disk, {@code Files.move} with
 * ATOMIC_MOVE), so readers never see half a file and need no lock. Read-modify-write cycles run inside
 * {@link #locked}, which holds a JVM-wide lock per directory and, on the outermost entry, an exclusive
 * {@link FileLock} on {@code .lock}, so two processes never interleave. Files and the directory get owner-only
 * permissions (0600 / 0700) where the file system is POSIX: sections may hold passwords.
 *
 * <p>Thread-safe.
 */
final class ProfileDirectory {
    static final String PROFILE_SUFFIX = ".profile.json";
    static final String DEFAULT_MARKER = "default";
    static final String INSTALLED = "installed-services.json";
    static final String LOCK = ".lock";
    private static final int MAX_PLAIN_ENCODING = 120;

    /** Reads floats as BigDecimal so PT_R4 / PT_DOUBLE values round-trip exactly. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final ConcurrentHashMap<Path, DirLock> LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final DirLock lock;
    private final boolean posix;

    /** One per directory per JVM: FileLock is per process, so threads must be serialised first. */
    private static final class DirLock {
        final ReentrantLock threads = new ReentrantLock();
        FileChannel channel;
        FileLock fileLock;
    }

    ProfileDirectory(Path home) {
        this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && home.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path profiles = home.resolve("profiles");
        try {
            Files.createDirectories(home);
            if (!Files.isDirectory(profiles)) {
                if (posix) {
                    Files.createDirectory(profiles, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(profiles);
                }
            }
            this.dir = profiles.toRealPath();
        } catch (IOException e) {
            throw diskError("cannot create the profile directory " + profiles, e);
        }
        this.lock = LOCKS.computeIfAbsent(dir, d -> new DirLock());
    }

    Path dir() {
        return dir;
    }

    // ---- locking --------------------------------------------------------------------------------------------

    /**
     * Runs {@code body} holding the directory lock (reentrant within a thread).
     *
     * @throws MapiException MAPI_E_DISK_ERROR when the lock file cannot be locked; whatever {@code body} throws
     */
    <T> T locked(Supplier<T> body) {
        lock.threads.lock();
        try {
            if (lock.threads.getHoldCount() == 1) {
                acquireFileLock();
            }
            try {
                return body.get();
            } finally {
                if (lock.threads.getHoldCount() == 1) {
                    releaseFileLock();
                }
            }
        } finally {
            lock.threads.unlock();
        }
    }

    private void acquireFileLock() {
        Path p = dir.resolve(LOCK);
        try {
            FileChannel ch = posix
                    ? FileChannel.open(p, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly())
                    : FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock.fileLock = ch.lock();
                lock.channel = ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw diskError("cannot lock " + p, e);
        }
    }

    private void releaseFileLock() {
        try {
            if (lock.fileLock != null) {
                lock.fileLock.release();
            }
            if (lock.channel != null) {
                lock.channel.close();
            }
        } catch (IOException e) {
            throw diskError("cannot unlock " + dir.resolve(LOCK), e);
        } finally {
            lock.fileLock = null;
            lock.channel = null;
        }
    }

    // ---- profile files -------------------------------------------------------------------------------------

    Path fileFor(String profileName) {
        return dir.resolve(encodeName(profileName) + PROFILE_SUFFIX);
    }

    boolean exists(String profileName) {
        return Files.isRegularFile(fileFor(profileName));
    }

    /**
     * @return the profile in {@code file}
     * @throws MapiException MAPI_E_NOT_FOUND when the file does not exist; MAPI_E_CORRUPT_DATA (with the path)
     *                       when it cannot be parsed or checked; MAPI_E_DISK_ERROR for I/O errors
     */
    ProfileData readProfile(Path file) {
        JsonNode root = readJson(file);
        try {
            return ProfileData.fromJson(root);
        } catch (MapiException e) {
            throw corrupt(file, detail(e), e);
        }
    }

    void writeProfile(Path file, ProfileData data) {
        writeJson(file, data.toJson());
    }

    void deleteProfile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw diskError("cannot delete " + file, e);
        }
    }

    /** @return every profile name, sorted; names of hashed file names are read from the files */
    List<String> listNames() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + PROFILE_SUFFIX)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                String encoded = file.substring(0, file.length() - PROFILE_SUFFIX.length());
                String name = decodeName(encoded);
                if (name == null && encoded.indexOf('~') >= 0) {
                    JsonNode n = readJson(p).get("name");
                    if (n == null || !n.isTextual() || !fileFor(n.textValue()).equals(p)) {
                        throw corrupt(p, "the profile name in the file does not match the file name", null);
                    }
                    name = n.textValue();
                }
                if (name != null) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw diskError("cannot list " + dir, e);
        }
        names.sort(null);
        return names;
    }

    // ---- default marker and installed services --------------------------------------------------------------

    Optional<String> readDefault() {
        Path p = dir.resolve(DEFAULT_MARKER);
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8);
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw diskError("cannot read " + p, e);
        }
    }

    void writeDefault(String name) {
        Path p = dir.resolve(DEFAULT_MARKER);
        if (name == null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw diskError("cannot delete " + p, e);
            }
        } else {
            writeAtomically(p, name.getBytes(StandardCharsets.UTF_8));
        }
    }

    Set<String> readInstalled() {
        Path p = dir.resolve(INSTALLED);
        if (!Files.exists(p)) {
            return new LinkedHashSet<>();
        }
        JsonNode a = readJson(p).get("installed");
        if (a == null || !a.isArray()) {
            throw corrupt(p, "\"installed\" must be an array of service names", null);
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : a) {
            if (!n.isTextual()) {
                throw corrupt(p, "\"installed\" must be an array of service names", null);
            }
            out.add(n.textValue());
        }
        return out;
    }

    void writeInstalled(Set<String> names) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode a = root.putArray("installed");
        names.forEach(a::add);
        writeJson(dir.resolve(INSTALLED), root);
    }

    // ---- JSON and atomic files -------------------------------------------------------------------------------

    private JsonNode readJson(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MapiException(HResult.MAPI_E_NOT_FOUND, "no such file " + file);
        } catch (IOException e) {
            throw diskError("cannot read " + file, e);
        }
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw corrupt(file, "the file is empty", null);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw corrupt(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw diskError("cannot read " + file, e);
        }
    }

    private void writeJson(Path file, JsonNode node) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new MapiException(HResult.MAPI_E_CALL_FAILED, "cannot serialise " + file, e);
        }
        writeAtomically(file, bytes);
    }

    /** Writes a temp file beside {@code target}, forces it to disk and renames it over {@code target}. */
    void writeAtomically(Path target, byte[] bytes) {
        Path tmp = null;
        try {
            tmp = posix ? Files.createTempFile(dir, ".tmp-", ".part", ownerOnly())
                    : Files.createTempFile(dir, ".tmp-", ".part");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw diskError("cannot write " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed and is being reported; a stray temp file is harmless.
                }
            }
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    // ---- name encoding -------------------------------------------------------------------------------------

    /**
     * Encodes a profile name into a file-name stem that is safe on every file system, case-insensitive ones
     * included: {@code a-z}, {@code 0-9} and {@code -} stay, every other UTF-16 unit becomes {@code _xxxx}. An
     * encoding longer than 120 characters is shortened to its first 60 characters, {@code ~} and 40 hex digits
     * of the name's SHA-256, which cannot be decoded: the name is then read from the file.
     */
    static String encodeName(String name) {
        StringBuilder sb = new StringBuilder(name.length() * 2);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(String.format("%04x", (int) c));
            }
        }
        if (sb.length() <= MAX_PLAIN_ENCODING) {
            return sb.toString();
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return sb.substring(0, 60) + "~" + HexFormat.of().formatHex(h).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** @return the name {@link #encodeName} encoded, or null when {@code stem} is not a reversible encoding */
    static String decodeName(String stem) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < stem.length(); i++) {
            char c = stem.charAt(i);
            if (c == '_') {
                if (i + 5 > stem.length()) {
                    return null;
                }
                String hex = stem.substring(i + 1, i + 5);
                if (!hex.chars().allMatch(x -> (x >= '0' && x <= '9') || (x >= 'a' && x <= 'f'))) {
                    return null;
                }
                sb.append((char) Integer.parseInt(hex, 16));
                i += 4;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                sb.append(c);
            } else {
                return null;
            }
        }
        String name = sb.toString();
        return encodeName(name).equals(stem) ? name : null;
    }

    // ---- errors --------------------------------------------------------------------------------------------

    static MapiException corrupt(Path file, String message, Throwable cause) {
        MapiException e = new MapiException(HResult.MAPI_E_CORRUPT_DATA, file + ": " + message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static MapiException diskError(String message, IOException cause) {
        return new MapiException(HResult.MAPI_E_DISK_ERROR, message + ": " + cause, cause);
    }

    /** The message of a MapiException without its leading code name. */
    static String detail(MapiException e) {
        String prefix = HResult.name(e.hresult()) + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
