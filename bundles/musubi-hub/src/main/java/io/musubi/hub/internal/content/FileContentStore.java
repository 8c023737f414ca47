package io.musubi.hub.internal.content;

import io.musubi.spi.ContentStore;
import io.musubi.spi.StoredContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The hub's {@link ContentStore} on the local file system: {@code <directory>/<tenant>/<ref>.bin} with a
 * {@code .meta} properties file beside it. A reference is a name-based UUID of tenant and key, so it is known before
 * the content arrives and never reveals the key. Content is written to a temporary file, synced, then moved into place
 * atomically, metadata last: a crash leaves either nothing or the whole content. Back it up with the rest of
 * {@code data/} (docs/operations.md).
 */
@Component(service = ContentStore.class, configurationPid = "io.musubi.content",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FileContentStore.Config.class)
public final class FileContentStore implements ContentStore {

    @ObjectClassDefinition(name = "Musubi content store", description = "Where message content (attachments, media, "
            + "FAX images, recordings) is kept by reference")
    public @interface Config {
        @AttributeDefinition(description = "Directory; relative paths are under Karaf's data directory")
        String directory() default "musubi/content";
    }

    private static final Pattern KEY = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern REF = Pattern.compile("cnt-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Path root;
    private final Clock clock;

    @Activate
    public FileContentStore(Config config) {
        this(underData(config.directory()), Clock.systemUTC());
    }

    FileContentStore(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    private static Path underData(String configured) {
        Path dir = Path.of(configured);
        return dir.isAbsolute() ? dir : Path.of(System.getProperty("karaf.data", "data")).resolve(dir);
    }

    @Override
    public String referenceOf(String tenantId, String key) {
        checkTenant(tenantId);
        if (key == null || key.length() > 200 || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("content key must be 1-200 of [A-Za-z0-9._-] in /-separated segments, "
                    + "without '..'");
        }
        return "cnt-" + UUID.nameUUIDFromBytes((tenantId + '/' + key).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public StoredContent put(String tenantId, String key, String mediaType, String name, InputStream data,
                             long maxBytes) throws IOException {
        String ref = referenceOf(tenantId, key);
        Optional<StoredContent> existing = find(tenantId, ref);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path dir = root.resolve(tenantId);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ref, ".tmp");
        try {
            MessageDigest sha = sha256();
            long size = 0;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = data.read(buf)) >= 0) {
                    size += n;
                    if (size > maxBytes) {
                        throw new ContentTooLargeException(maxBytes);
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
                out.flush();
                channel.force(true);
            }
            StoredContent stored = new StoredContent(ref, mediaType, name == null ? "" : name, size,
                    HexFormat.of().formatHex(sha.digest()), clock.instant());
            move(tmp, dir.resolve(ref + ".bin"));
            writeMeta(dir.resolve(ref + ".meta"), stored);
            return stored;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<StoredContent> find(String tenantId, String ref) {
        Path meta = file(tenantId, ref, ".meta");
        if (meta == null || !Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new StoredContent(ref, p.getProperty("mediaType", "application/octet-stream"),
                p.getProperty("name", ""), Long.parseLong(p.getProperty("size", "-1")), p.getProperty("sha256", ""),
                Instant.parse(p.getProperty("storedAt"))));
    }

    @Override
    public Optional<InputStream> open(String tenantId, String ref) throws IOException {
        if (find(tenantId, ref).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Files.newInputStream(file(tenantId, ref, ".bin")));
    }

    @Override
    public boolean delete(String tenantId, String ref) throws IOException {
        Path meta = file(tenantId, ref, ".meta");
        if (meta == null) {
            return false;
        }
        boolean had = Files.deleteIfExists(meta);
        return Files.deleteIfExists(file(tenantId, ref, ".bin")) || had;
    }

    /** The file of a reference, or null for anything that is not one (never a path outside the store). */
    private Path file(String tenantId, String ref, String suffix) {
        if (tenantId == null || !TENANT.matcher(tenantId).matches() || ref == null || !REF.matcher(ref).matches()) {
            return null;
        }
        return root.resolve(tenantId).resolve(ref + suffix);
    }

    private static void checkTenant(String tenantId) {
        if (tenantId == null || !TENANT.matcher(tenantId).matches()) {
            throw new IllegalArgumentException("tenant id must be [A-Za-z0-9._-]{1,64}");
        }
    }

    private static void writeMeta(Path meta, StoredContent c) throws IOException {
        Properties p = new Properties();
        p.setProperty("mediaType", c.mediaType());
        p.setProperty("name", c.name());
        p.setProperty("size", Long.toString(c.size()));
        p.setProperty("sha256", c.sha256());
        p.setProperty("storedAt", c.storedAt().toString());
        Path tmp = Files.createTempFile(meta.getParent(), meta.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                p.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), null);
                out.flush();
                channel.force(true);
            }
            move(tmp, meta);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // a concurrent put of the same key won: keep its content
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
