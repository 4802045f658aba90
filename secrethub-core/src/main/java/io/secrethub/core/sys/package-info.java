/** {@code hub.sys()}: the seal lifecycle and key rotation, and background maintenance. Internal. */
package io.secrethub.core.sys;
