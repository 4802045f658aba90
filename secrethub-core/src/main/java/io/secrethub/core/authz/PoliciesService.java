package io.secrethub.core.authz;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.Policies;
import io.secrethub.core.access.Operation;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.secrets.ChangeNotices;
import io.secrethub.core.storage.Database;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** {@code hub.policies()}: every call runs through the pipeline (authorized, audited). */
public final class PoliciesService implements Policies {

    private final RequestPipeline pipeline;
    private final Database database;
    private final PolicyAuthorizer authorizer;
    private final Clock clock;

    public PoliciesService(RequestPipeline pipeline, Database database, PolicyAuthorizer authorizer, Clock clock) {
        this.pipeline = pipeline;
        this.database = database;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @Override
    public void write(String token, Policy policy) {
        Objects.requireNonNull(policy, "policy");
        pipeline.execute(Operation.POLICY_WRITE, token, policy.name(), PoliciesService::definableName, null, ctx -> {
            database.transaction("write a policy", c -> {
                PolicyStore.upsert(c, policy, clock.instant(), ctx.keys().system().rows());
                ChangeNotices.send(c, ChangeNotices.Kind.POLICY, List.of(policy.name()));
                ctx.auditSuccess("rules=" + policy.rules().size());
                return null;
            });
            authorizer.invalidate(policy.name());
            return null;
        });
    }

    @Override
    public Policy read(String token, String name) {
        return pipeline.execute(Operation.POLICY_READ, token, name, PoliciesService::validName, null, ctx -> {
            if (Policy.ROOT.equals(ctx.path())) {
                return Policy.root();
            }
            return database.autocommit("read a policy",
                    c -> PolicyStore.select(c, ctx.path(), ctx.keys().system().rows()))
                    .or(() -> Policy.DEFAULT.equals(ctx.path()) ? java.util.Optional.of(Policy.defaultPolicy())
                            : java.util.Optional.empty())
                    .orElseThrow(() -> new NotFoundException("no policy named " + ctx.path()));
        });
    }

    @Override
    public void delete(String token, String name) {
        pipeline.execute(Operation.POLICY_DELETE, token, name, PoliciesService::definableName, null, ctx -> {
            if (Policy.DEFAULT.equals(ctx.path())) {
                throw new InvalidRequestException("the default policy cannot be deleted");
            }
            database.transaction("delete a policy", c -> {
                if (!PolicyStore.delete(c, ctx.path())) {
                    throw new NotFoundException("no policy named " + ctx.path());
                }
                ChangeNotices.send(c, ChangeNotices.Kind.POLICY, List.of(ctx.path()));
                ctx.auditSuccess(null);
                return null;
            });
            authorizer.invalidate(ctx.path());
            return null;
        });
    }

    @Override
    public List<String> list(String token) {
        return pipeline.execute(Operation.POLICY_LIST, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            TreeSet<String> names = new TreeSet<>(database.autocommit("list policies", PolicyStore::names));
            names.add(Policy.DEFAULT);
            names.add(Policy.ROOT);
            return List.copyOf(names);
        });
    }

    private static String validName(String name) {
        if (!Policy.isValidName(name)) {
            throw new InvalidRequestException("invalid policy name");
        }
        return name;
    }

    private static String definableName(String name) {
        validName(name);
        if (Policy.ROOT.equals(name)) {
            throw new InvalidRequestException("the root policy is built in and cannot be changed");
        }
        return name;
    }
}
