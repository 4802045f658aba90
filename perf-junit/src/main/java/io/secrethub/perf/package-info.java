package io.secrethub.perf;
