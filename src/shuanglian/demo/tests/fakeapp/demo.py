def build(ctx):
    ctx.data["fakeapp"] = ctx.rng.random()
