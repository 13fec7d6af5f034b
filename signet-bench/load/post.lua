-- wrk script: POSTs the body in the environment variable SIGNET_BODY as JSON.
wrk.method = "POST"
wrk.body = os.getenv("SIGNET_BODY")
wrk.headers["Content-Type"] = "application/json"

-- Prints p50/p99 (microseconds) and any non-2xx count on one line for bin/signet-load.
done = function(summary, latency, requests)
  io.write(string.format("SIGNET rps=%.0f p50=%d p99=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
