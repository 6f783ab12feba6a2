"""Measurements that print numbers: latency per problem and spelling (bench), simulated learners (load)."""
