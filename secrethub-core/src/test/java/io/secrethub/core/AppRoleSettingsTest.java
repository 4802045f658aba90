package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bound CIDR blocks come back as plain strings in one canonical form, whatever form they were given in. */
class AppRoleSettingsTest {

    @Test
    void boundCidrsAreNormalized() {
        AppRoleSettings settings = AppRoleSettings.builder()
                .boundCidrs("10.1.2.3/8", "192.168.0.1", "2001:DB8:0:0::1/32", "::/0")
                .build();

        assertThat(settings.boundCidrs()).containsExactly("10.0.0.0/8", "192.168.0.1/32", "2001:db8::/32", "::/0");
    }

    @Test
    void ipv6FollowsRfc5952() {
        assertThat(AppRoleSettings.builder()
                .boundCidrs("1:0:0:1:0:0:0:1", "1:0:0:2:3:4:5:6", "1:0:2:3:4:5:6:7", "1:0:0:2:0:0:3:4")
                .build().boundCidrs())
                .containsExactly("1:0:0:1::1/128", "1::2:3:4:5:6/128", "1:0:2:3:4:5:6:7/128", "1::2:0:0:3:4/128");
    }
}
