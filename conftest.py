pytest_plugins = ["shuanglian.core.testing.fixtures"]
