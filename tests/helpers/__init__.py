"""What tests share: running ``kg``, servers and listeners, a browser, synthetic graphs, tool lookups."""
