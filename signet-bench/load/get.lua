-- wrk script: GET, with the same one-line summary as post.lua.
done = function(summary, latency, requests)
  io.write(string.format("SIGNET rps=%.0f p50=%d p99=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
