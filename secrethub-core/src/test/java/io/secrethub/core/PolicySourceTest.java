package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** A policy written with its text reads back with that text, exactly; the text is covered by the row's MAC. */
@UnsealedHub
class PolicySourceTest {

    private static final String HCL = "# readers\npath \"secret/data/app/*\" {\n  capabilities = [\"read\"]\n}\n";

    @Test
    void theTextReadsBackExactlyAsWrittenAndTheRulesStayWhatDecides(HubFixture fixture) {
        SecretHub hub = fixture.hub();
        Policy rules = Policy.builder("readers").path("secret/data/app/*", Capability.READ).build();

        hub.policies().write(fixture.rootToken(), rules.withSource(HCL));
        Policy read = hub.policies().read(fixture.rootToken(), "readers");

        assertThat(read.source()).contains(HCL);
        assertThat(read).isEqualTo(rules);
        hub.policies().write(fixture.rootToken(), Policy.builder("plain").path("a/*", Capability.LIST).build());
        assertThat(hub.policies().read(fixture.rootToken(), "plain").source()).isEmpty();
    }

    @Test
    void editedTextIsRefusedLikeAnyEditedRow(HubFixture fixture) throws Exception {
        SecretHub hub = fixture.hub();
        hub.policies().write(fixture.rootToken(),
                Policy.builder("shown").path("secret/data/x", Capability.READ).build().withSource(HCL));
        try (Connection c = fixture.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE policies SET document = replace(document, 'readers', 'nothing here') WHERE name = ?")) {
            ps.setString(1, "shown");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> hub.policies().read(fixture.rootToken(), "shown"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void theWrapperCannotBeWrittenAsAPolicyAndTheRootPolicyHasNoText() {
        String wrapper = "{\"secrethub:policy\": {\"document\": \"{}\", \"source\": \"s\"}}";
        assertThatThrownBy(() -> Policy.fromJson("x", wrapper))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("secrethub:policy");
        assertThatThrownBy(() -> Policy.root().withSource("anything")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Policy.builder("p").path("a", Capability.READ).build().withSource(" "))
                .isInstanceOf(InvalidRequestException.class);
    }
}
