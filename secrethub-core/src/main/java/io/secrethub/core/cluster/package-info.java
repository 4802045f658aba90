/**
 * The instances on one database: each writes a heartbeat row, so every instance (and {@code sys/ha-status}) knows
 * which are alive. No election or consensus: PostgreSQL is the only coordinator. Internal.
 */
package io.secrethub.core.cluster;
