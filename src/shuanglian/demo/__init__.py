"""`shuanglian demo`: the seed's county (衢江区) as a demo district, built through the services.

How builders are found and run, and how a later module adds its records: see `registry`.
"""
