package io.secrethub.core.audit;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.jr.ob.JSON;

/**
 * The file audit device: every record the database chain takes from this instance is also appended to a local
 * file as one JSON line in Vault's audit format, and {@code fsync}ed before the calls of its batch are
 * answered. It is the witness of the database chain: each line carries the sequence number and chain hash its
 * record got in the database, and checkpoint lines carry the chain head (record count and head hash), so a
 * database whose newest records were deleted and whose head was rolled back no longer matches the file
 * ({@link AuditVerifier} cross-checks them).
 *
 * <p>The file is itself tamper-evident: each line ends with {@code "mac"}, an HMAC under the chain key over
 * {@code "secrethub-audit-file-v1" || previous line's mac || the line up to its mac}, so an edited, removed or
 * reordered line breaks the file chain. A partial last line (a crash mid-write, before the batch was answered)
 * is cut off when the file is opened. Rotation is not supported: the file grows until an operator archives it
 * (with the instance stopped) and starts a new one.
 *
 * <p>One file per instance (several instances may share a database, not a file). Writer thread only.
 */
final class AuditFileDevice implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFileDevice.class);

    static final String CHECKPOINT = "secrethub_checkpoint";
    private static final byte[] DOMAIN = "secrethub-audit-file-v1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern MAC_TAIL = Pattern.compile(",\"mac\":\"([0-9a-f]{64})\"}}$");
    private static final Pattern PREV = Pattern.compile("\"prev\":\"([0-9a-f]{64})\"");
    private static final HexFormat HEX = HexFormat.of();
    /** A checkpoint line after at most this many records or this long, whichever comes first. */
    private static final int CHECKPOINT_RECORDS = 1000;
    private static final long CHECKPOINT_NANOS = 10_000_000_000L;

    private final Path path;
    private final String node;
    private final FileChannel channel;
    private String previousMac;
    private long recordsSinceCheckpoint;
    private long lastCheckpointNanos;
    private boolean checkpointDue = true; // the first batch after opening writes one

    AuditFileDevice(Path path, String node) {
        this.path = path;
        this.node = node;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.previousMac = recoverTail();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit file " + path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /**
     * Appends the lines of a batch the database chain took as records {@code firstSequence …}, a checkpoint if
     * one is due, and forces them to disk.
     */
    void write(List<AuditEntry> entries, long firstSequence, List<byte[]> hashes, KeyMaterial key)
            throws IOException {
        StringBuilder out = new StringBuilder(entries.size() * 400);
        String previous = previousMac;
        for (int i = 0; i < entries.size(); i++) {
            previous = line(out, recordLine(entries.get(i), firstSequence + i, hashes.get(i), previous), key,
                    previous);
        }
        recordsSinceCheckpoint += entries.size();
        long now = System.nanoTime();
        boolean checkpoint = checkpointDue || recordsSinceCheckpoint >= CHECKPOINT_RECORDS
                || now - lastCheckpointNanos >= CHECKPOINT_NANOS;
        if (checkpoint) {
            long head = firstSequence + entries.size() - 1;
            previous = line(out, checkpointLine(head, hashes.get(hashes.size() - 1), previous), key, previous);
        }
        ByteBuffer bytes = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
        long position = channel.size();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes, position + bytes.position());
            }
            channel.force(false);
        } catch (IOException e) {
            truncateQuietly(position); // no half batch: its calls fail
            throw e;
        }
        previousMac = previous;
        if (checkpoint) {
            recordsSinceCheckpoint = 0;
            lastCheckpointNanos = now;
            checkpointDue = false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the audit file failed", e);
        }
    }

    /** Serializes {@code fields} (whose last entry is the {@code secrethub} object) and appends it with its mac. */
    private static String line(StringBuilder out, Map<String, Object> fields, KeyMaterial key, String previous)
            throws IOException {
        String body = JSON.std.asString(fields);
        String mac = mac(key, body);
        out.append(body, 0, body.length() - 2).append(",\"mac\":\"").append(mac).append("\"}}\n");
        return mac;
    }

    /** The line MAC, in one place so writer and verifier agree. */
    static String mac(KeyMaterial key, String body) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[DOMAIN.length + text.length];
        System.arraycopy(DOMAIN, 0, data, 0, DOMAIN.length);
        System.arraycopy(text, 0, data, DOMAIN.length, text.length);
        return HEX.formatHex(Hmacs.hmac(key, data));
    }

    /**
     * One record as Vault writes it: a {@code request} entry with its error for a denied call (Vault writes no
     * response for those), a {@code response} entry otherwise. The accessor is already an {@code hmac-sha256:}
     * value under the audit HMAC key; paths, addresses and details hold no secret (as in the database).
     */
    private Map<String, Object> recordLine(AuditEntry e, long sequence, byte[] hash, String previous) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", e.time().toString());
        line.put("type", e.outcome() == AuditOutcome.DENIED ? "request" : "response");
        Map<String, Object> auth = new LinkedHashMap<>();
        if (e.accessorHmac() != null) {
            auth.put("accessor", e.accessorHmac());
        }
        line.put("auth", auth);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", e.requestId().toString());
        request.put("operation", vaultOperation(e.operation()));
        request.put("namespace", Map.of("id", "root"));
        request.put("path", e.path() == null ? "" : e.path());
        if (e.accessorHmac() != null) {
            request.put("client_token_accessor", e.accessorHmac());
        }
        request.put("remote_address", e.clientAddress() == null ? "" : e.clientAddress());
        line.put("request", request);
        if (e.outcome() != AuditOutcome.DENIED) {
            Map<String, Object> response = new LinkedHashMap<>();
            if (e.detail() != null) {
                response.put("data", Map.of("detail", e.detail()));
            }
            line.put("response", response);
        }
        line.put("error", e.error() == null ? "" : e.error());
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("node", e.node());
        own.put("operation", e.operation());
        own.put("outcome", e.outcome().name());
        if (e.detail() != null) {
            own.put("detail", e.detail());
        }
        own.put("seq", sequence);
        own.put("hash", HEX.formatHex(hash));
        own.put("prev", previous);
        line.put("secrethub", own);
        return line;
    }

    private Map<String, Object> checkpointLine(long headSequence, byte[] headHash, String previous) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("type", CHECKPOINT);
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("node", node);
        own.put("records", headSequence);
        own.put("seq", headSequence);
        own.put("hash", HEX.formatHex(headHash));
        own.put("prev", previous);
        line.put("secrethub", own);
        return line;
    }

    /** Vault's operation verb for one of ours (Vault logs create/read/update/delete/list). */
    static String vaultOperation(String operation) {
        int dot = operation.lastIndexOf('.');
        String last = dot < 0 ? operation : operation.substring(dot + 1);
        if (last.equals("list")) {
            return "list";
        }
        if (last.equals("read") || last.startsWith("lookup") || last.equals("verify") || last.equals("key-status")
                || last.equals("records") || last.equals("irrevocable") || last.equals("creds")) {
            return "read";
        }
        if (last.equals("delete") || last.startsWith("revoke") || last.equals("destroy")) {
            return "delete";
        }
        return "update";
    }

    /**
     * Cuts a partial last line (the batch it belonged to was never answered) and returns the mac of the last
     * whole line, or 64 zeros for an empty file.
     */
    private String recoverTail() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return "0".repeat(64);
        }
        int window = (int) Math.min(size, 64 * 1024);
        ByteBuffer tail = ByteBuffer.allocate(window);
        channel.read(tail, size - window);
        byte[] bytes = tail.array();
        int end = window;
        if (bytes[end - 1] != '\n') {
            int lastNewline = end - 1;
            while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
                lastNewline--;
            }
            long keep = size - window + lastNewline + 1;
            LOG.warn("audit file {} ends with a partial line (a write interrupted before its calls were answered);"
                    + " cutting it at byte {}", path, keep);
            channel.truncate(keep);
            channel.force(true);
            if (keep == 0) {
                return "0".repeat(64);
            }
            end = lastNewline + 1;
        }
        int start = end - 2;
        while (start >= 0 && bytes[start] != '\n') {
            start--;
        }
        String last = new String(bytes, start + 1, end - start - 2, StandardCharsets.UTF_8);
        Matcher m = MAC_TAIL.matcher(last);
        if (!m.find()) {
            throw new IOException("the last line of the audit file " + path + " is not a SecretHub audit line");
        }
        return m.group(1);
    }

    private void truncateQuietly(long position) {
        try {
            channel.truncate(position);
        } catch (IOException e) {
            LOG.debug("could not cut a failed audit file write", e);
        }
    }

    /** A checked line: its claim about the database chain, if any. */
    record Claim(int lineNumber, String type, String node, long sequence, byte[] hash, String time) {
    }

    /** What reading a file found: the claims of its lines, or the first line that breaks the file chain. */
    record Contents(List<Claim> claims, String problem, int problemLine) {
    }

    /** Reads and checks a whole audit file under {@code key}. */
    static Contents read(Path path, KeyMaterial key) throws IOException {
        List<Claim> claims = new java.util.ArrayList<>();
        String previous = "0".repeat(64);
        int number = 0;
        try (var reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                number++;
                Matcher m = MAC_TAIL.matcher(text);
                if (!m.find()) {
                    return new Contents(claims, "line " + number + " of the audit file has no mac", number);
                }
                String body = text.substring(0, m.start()) + "}}";
                Matcher p = PREV.matcher(body);
                if (!p.find() || !Hmacs.equal(p.group(1).getBytes(StandardCharsets.US_ASCII),
                        previous.getBytes(StandardCharsets.US_ASCII))) {
                    return new Contents(claims, "line " + number + " of the audit file does not follow line "
                            + (number - 1) + ": lines were removed, inserted or reordered", number);
                }
                String mac = m.group(1);
                if (!Hmacs.equal(mac.getBytes(StandardCharsets.US_ASCII),
                        mac(key, body).getBytes(StandardCharsets.US_ASCII))) {
                    return new Contents(claims, "line " + number + " of the audit file does not match its mac:"
                            + " it was edited", number);
                }
                Map<String, Object> fields = JSON.std.mapFrom(body);
                @SuppressWarnings("unchecked")
                Map<String, Object> own = (Map<String, Object>) fields.get("secrethub");
                claims.add(new Claim(number, String.valueOf(fields.get("type")), String.valueOf(own.get("node")),
                        ((Number) own.get("seq")).longValue(), HEX.parseHex((String) own.get("hash")),
                        String.valueOf(fields.get("time"))));
                previous = mac;
            }
        }
        return new Contents(claims, null, 0);
    }
}
