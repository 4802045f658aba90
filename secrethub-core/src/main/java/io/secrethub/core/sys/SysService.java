package io.secrethub.core.sys;

import io.secrethub.core.InitResult;
import io.secrethub.core.InstanceHealth;
import io.secrethub.core.InstanceInfo;
import io.secrethub.core.KeyStatus;
import io.secrethub.core.SealStatus;
import io.secrethub.core.Sys;
import io.secrethub.core.access.Operation;
import io.secrethub.core.cluster.InstanceRegistry;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.seal.SealManager;
import java.util.List;

/** {@code hub.sys()}: seal operations go to the {@link SealManager}; key operations through the pipeline. */
public final class SysService implements Sys {

    private final SealManager seal;
    private final RequestPipeline pipeline;
    private final InstanceRegistry instances;

    public SysService(SealManager seal, RequestPipeline pipeline, InstanceRegistry instances) {
        this.seal = seal;
        this.pipeline = pipeline;
        this.instances = instances;
    }

    @Override
    public SealStatus status() {
        return seal.status();
    }

    @Override
    public InitResult initialize(int shares, int threshold) {
        return seal.initialize(shares, threshold);
    }

    @Override
    public SealStatus unseal(String share) {
        return seal.unseal(share);
    }

    @Override
    public void seal(String token) {
        if (seal.sealed()) {
            return; // nothing to protect, and no keys to check the token with
        }
        pipeline.execute(Operation.SYS_SEAL, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            // Sealing must happen even when the audit log cannot take its record: it is what stops further harm.
            ctx.auditSuccessBestEffort(null);
            seal.sealRecorded();
            return null;
        });
    }

    @Override
    public KeyStatus rotate(String token) {
        return pipeline.execute(Operation.SYS_ROTATE, token, null, RequestPipeline.NO_PATH, null,
                ctx -> ctx.keys().barrier().rotate(term -> ctx.auditSuccess("term=" + term)));
    }

    @Override
    public KeyStatus keyStatus(String token) {
        return pipeline.execute(Operation.SYS_KEY_STATUS, token, null, RequestPipeline.NO_PATH, null,
                ctx -> ctx.keys().barrier().keyStatus());
    }

    @Override
    public InstanceHealth health() {
        return instances.health();
    }

    @Override
    public List<InstanceInfo> instances(String token) {
        return pipeline.execute(Operation.SYS_HA_STATUS, token, null, RequestPipeline.NO_PATH, null,
                ctx -> instances.live());
    }

    @Override
    public void advertise(String apiAddress) {
        instances.advertise(apiAddress);
    }
}
