def test_district_and_personas_build(personas, district):
    assert district.grid.code.startswith(district.village.code)
    assert len(district.grid.code) == 15
