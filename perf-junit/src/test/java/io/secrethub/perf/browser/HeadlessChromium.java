package io.secrethub.perf.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.jr.ob.JSON;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, through the JDK's HttpClient):
 * enough to load a page from disk, evaluate script in it, collect its console errors, exceptions and network
 * requests, and take a screenshot. No Selenium or driver binary: Debian's {@code chromium} package is all it needs.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final BlockingQueue<Map<String, Object>> incoming;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, Path profile, WebSocket socket,
            BlockingQueue<Map<String, Object>> incoming) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.incoming = incoming;
    }

    /** The chromium binary on the PATH (or {@code $CHROMIUM}), if there is one. */
    public static Optional<Path> binary() {
        String explicit = System.getenv("CHROMIUM");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser", "google-chrome")
                        .map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts the browser on a blank page and attaches to that page, with console, log and network events on. */
    public static HeadlessChromium start(Path binary, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("perf-chromium-");
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browser = devToolsAddress(process);
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            String pageSocket = pageSocket(http, list);
            BlockingQueue<Map<String, Object>> incoming = new LinkedBlockingQueue<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), listener(incoming))
                    .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium attached = new HeadlessChromium(process, profile, socket, incoming);
            attached.call("Runtime.enable", Map.of());
            attached.call("Log.enable", Map.of());
            attached.call("Network.enable", Map.of());
            attached.call("Page.enable", Map.of());
            return attached;
        } catch (Exception | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static URI devToolsAddress(Process process) throws IOException {
        BufferedReader stderr = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = stderr.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher matcher = DEVTOOLS.matcher(line);
            if (matcher.find()) {
                // Keep draining stderr so the browser never blocks on a full pipe.
                Thread drain = new Thread(() -> stderr.lines().forEach(ignored -> { }), "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return URI.create(matcher.group(1));
            }
        }
        throw new IllegalStateException("chromium exited without a DevTools address:\n" + seen);
    }

    @SuppressWarnings("unchecked")
    private static String pageSocket(HttpClient http, URI list) throws Exception {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (Object target : JSON.std.listFrom(body)) {
                Map<String, Object> page = (Map<String, Object>) target;
                if ("page".equals(page.get("type"))) {
                    return (String) page.get("webSocketDebuggerUrl");
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium opened no page at " + list);
    }

    /** Puts each whole message, parsed, on {@code incoming}. */
    private static WebSocket.Listener listener(BlockingQueue<Map<String, Object>> incoming) {
        return new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    try {
                        incoming.add(JSON.std.mapFrom(message.toString()));
                    } catch (RuntimeException e) {
                        incoming.add(Map.of("unreadable", message.toString()));
                    }
                    message.setLength(0);
                }
                webSocket.request(1);
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    /** Sends one command and returns its {@code result}; events that arrive meanwhile are kept. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("id", id);
        command.put("method", method);
        command.put("params", params);
        socket.sendText(JSON.std.asString(command), true).get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            Map<String, Object> message = incoming.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new IllegalStateException("no answer from chromium to " + method);
            }
            Object messageId = message.get("id");
            if (messageId instanceof Number number && number.intValue() == id) {
                if (message.containsKey("error")) {
                    throw new IllegalStateException(method + " failed: " + message.get("error"));
                }
                return (Map<String, Object>) message.getOrDefault("result", Map.of());
            }
            if (message.containsKey("method")) {
                events.add(message);
            }
        }
    }

    /** Loads {@code url} and waits until the page has loaded. */
    public void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
        awaitTrue("document.readyState === 'complete'");
    }

    /** Evaluates {@code expression} in the page and returns its value (JSON-like: maps, lists, numbers, strings). */
    @SuppressWarnings("unchecked")
    public Object evaluate(String expression) throws Exception {
        Map<String, Object> result = call("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
        }
        return ((Map<String, Object>) result.get("result")).get("value");
    }

    /** Polls {@code expression} until it is true. */
    public void awaitTrue(String expression) throws Exception {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!Boolean.TRUE.equals(evaluate(expression))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the page never made true: " + expression + "; console: " + errors());
            }
            Thread.sleep(50);
        }
    }

    /** Console errors, uncaught exceptions and error log entries (failed loads, CSP refusals) seen so far. */
    @SuppressWarnings("unchecked")
    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        for (Map<String, Object> event : events) {
            Map<String, Object> params = (Map<String, Object>) event.getOrDefault("params", Map.of());
            switch (String.valueOf(event.get("method"))) {
                case "Runtime.consoleAPICalled" -> {
                    if ("error".equals(params.get("type")) || "assert".equals(params.get("type"))) {
                        errors.add("console." + params.get("type") + ": " + params.get("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> errors.add("exception: " + params.get("exceptionDetails"));
                case "Log.entryAdded" -> {
                    Map<String, Object> entry = (Map<String, Object>) params.get("entry");
                    if ("error".equals(entry.get("level"))) {
                        errors.add("log: " + entry.get("text") + " " + entry.getOrDefault("url", ""));
                    }
                }
                default -> { }
            }
        }
        return errors;
    }

    /** The URLs of every request the page made. */
    @SuppressWarnings("unchecked")
    public List<String> requestedUrls() {
        return events.stream().filter(event -> "Network.requestWillBeSent".equals(event.get("method")))
                .map(event -> (Map<String, Object>) event.get("params"))
                .map(params -> String.valueOf(((Map<String, Object>) params.get("request")).get("url")))
                .toList();
    }

    /** A PNG of the whole page, not only the window. */
    @SuppressWarnings("unchecked")
    public void screenshot(Path file) throws Exception {
        Map<String, Object> metrics = call("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"),
                "scale", 1);
        Map<String, Object> shot = call("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        // Chromium's helpers (renderer, network service) outlive the browser process for a moment and keep writing
        // into the profile; stop them too, or deleting the profile races their files.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle helper : helpers) {
                helper.destroyForcibly();
                helper.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a helper that does not go within 10 s is left to the OS; the profile below is removed best-effort
        }
        deleteProfile();
    }

    /** Best-effort: a temp directory left behind is harmless, a failed test because of one is not. */
    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            profile.toFile().deleteOnExit();
        }
    }
}
