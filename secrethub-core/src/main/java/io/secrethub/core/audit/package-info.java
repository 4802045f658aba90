/**
 * The audit log: a hash chain over every call's outcome, shared by every instance on the database,
 * written by one group-commit writer per instance and checked by {@link io.secrethub.core.audit.AuditVerifier}.
 * Internal: not part of the public API.
 */
package io.secrethub.core.audit;
