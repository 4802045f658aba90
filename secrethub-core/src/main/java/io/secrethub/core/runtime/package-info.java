/**
 * The running instance: {@link io.secrethub.core.runtime.HubComponents} wires the components from the builder's
 * {@link io.secrethub.core.runtime.HubSettings} and holds the one ordered list of services that start, seal and
 * stop; {@link io.secrethub.core.runtime.HubInternals} is the core's own tests' way to the components behind a
 * hub. Internal: not exported.
 */
package io.secrethub.core.runtime;
