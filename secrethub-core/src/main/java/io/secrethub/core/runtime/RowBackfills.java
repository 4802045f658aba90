package io.secrethub.core.runtime;

import io.secrethub.core.agents.AgentsService;
import io.secrethub.core.auth.AppRoleService;
import io.secrethub.core.authz.PolicyStore;
import io.secrethub.core.database.DatabaseSecretsService;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.token.TokenStore;
import java.util.List;
import java.util.stream.Stream;

/** Every kind of authenticated row's one-time backfill, run by the first unseal after the upgrade to row MACs. */
final class RowBackfills {

    static final List<RowBackfill> ALL = Stream.of(
            List.of(TokenStore.BACKFILL, PolicyStore.BACKFILL, AppRoleService.ROLE_BACKFILL, LeaseStore.BACKFILL),
            DatabaseSecretsService.BACKFILLS, AgentsService.BACKFILLS).flatMap(List::stream).toList();

    private RowBackfills() {
    }
}
