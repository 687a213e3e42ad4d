"""Blind indexes: names in Cyrillic and Latin spellings, phones in any format and birth dates
become the same keyed fingerprint; different values do not; the key and the kind matter."""

import datetime

import pytest

from safepassage.cases.translit import fold_word, name_parts, to_latin
from safepassage.vault import blind

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def fingerprints(name="", phone="", birth_date=None, key=KEY):
    return blind.digests(key, blind.tokens(name_parts(name), phone, birth_date))


@pytest.mark.parametrize("spellings", [
    ["Ахмед Исмаилов", "Akhmed Ismailov", "Ahmed Ismailov", "ISMAILOV, Akhmed", "Ahméd Ismaïlov"],
    ["Евгений", "Yevgeny", "Evgeniy", "Evgenij", "Evgenii"],
    ["Юсупов", "Yusupov", "Iusupov", "Youssoupov", "Jusupow"],
    ["Мария", "Mariya", "Maria", "Marija", "Mariia"],
    ["Хасан", "Khasan", "Hasan", "Hassan"],
    ["Зелимхан", "Zelimkhan", "Zelimhan"],
    ["Щукин", "Shchukin", "Schukin"],
    ["Джамал", "Dzhamal", "Djamal"],
    ["Жанна", "Zhanna"],
    ["Александр", "Aleksandr", "Alexandr"],
    ["Владимир", "Vladimir", "Wladimir"],
    ["Кадыров", "Kadyrov", "Kadirov"],
    ["Елена", "Yelena", "Elena"],
    ["Магомед", "Magomed", "MAGOMED"],
    ["Джохар Царнаев", "Dzhokhar Tsarnaev", "Tsarnaev Dzhokhar"],
])
def test_cyrillic_and_latin_spellings_of_one_name_give_one_fingerprint(spellings):
    found = {frozenset(fingerprints(s)) for s in spellings}
    assert len(found) == 1, [(s, name_parts(s)) for s in spellings]


@pytest.mark.parametrize("a, b", [
    ("Ахмед", "Ахмат"),
    ("Ismailov", "Ismailova"),  # gendered endings: two people
    ("Magomed", "Mahomed"),  # g/h is not folded (documented)
    ("Dzhamal", "Jamal"),  # French j for ж is not folded (documented)
    ("Ruslan", "Ramzan"),
])
def test_different_names_keep_different_fingerprints(a, b):
    assert fingerprints(a) != fingerprints(b)


def test_transliteration_follows_the_documented_table():
    assert to_latin("Щёкотов Хьюго") == "shchekotov khiugo"
    assert to_latin("Ӏалиев") == "aliev"  # the Chechen palochka is dropped
    assert to_latin("Łukasz Øster") == "lukasz oster"
    assert fold_word("hassan") == "hasan"
    assert fold_word("yevgeny") == "evgeni"


def test_each_name_part_and_the_whole_name_are_indexed_in_any_order():
    whole, singles = blind.name_tokens(name_parts("Исмаилов Ахмед"))
    assert whole == "ahmed ismailov"
    assert singles == ["ahmed", "ismailov"]
    # A surname alone meets the full name: relatives and people who give only one name.
    assert fingerprints("Ismailov") < fingerprints("Akhmed Ismailov")


def test_single_letters_and_other_scripts_are_not_indexed():
    assert blind.name_tokens(name_parts("A. B.")) == (None, [])
    assert fingerprints("ალექსანდრე") == set()  # Georgian: dropped, not guessed
    whole, singles = blind.name_tokens(name_parts("Жанна-Мари О'Нил"))
    assert singles == ["mari", "nil", "zhana"] and whole == "mari nil zhana"


@pytest.mark.parametrize("written", [
    "+7 (928) 123-45-67", "8 928 123 45 67", "89281234567", "9281234567", "+7.928.123.45.67",
])
def test_one_russian_phone_number_written_five_ways_gives_one_token(written):
    assert blind.phone_token(written) == "9281234567"


def test_phone_tokens_keep_the_last_ten_digits_and_refuse_short_numbers():
    assert blind.phone_token("+33 6 12 34 56 78") == "3612345678"
    assert blind.phone_token("112") is None
    assert blind.phone_token("") is None
    assert blind.phone_token("+7 928 123 45 68") != blind.phone_token("+7 928 123 45 67")


def test_birth_dates_are_indexed_as_iso_dates():
    assert blind.date_token(datetime.date(1990, 4, 3)) == "1990-04-03"
    assert blind.date_token("1990-04-03") == "1990-04-03"
    assert blind.date_token("") is None


def test_the_fingerprint_depends_on_the_key_and_the_kind():
    assert fingerprints("Akhmed", key=KEY) != fingerprints("Akhmed", key=OTHER_KEY)
    assert blind.digest(KEY, "name", "1990-04-03") != blind.digest(KEY, "birth_date", "1990-04-03")
    digest = blind.digest(KEY, "phone", "9281234567")
    assert len(digest) == 5 and "9281234567" not in digest  # 20 bits: truncated on purpose
    with pytest.raises(ValueError):
        blind.digest(KEY, "name", "")


def test_every_kind_of_token_is_collected():
    found = blind.tokens(name_parts("Akhmed Ismailov"), "8 928 123 45 67", datetime.date(1990, 4, 3))
    assert found == {("name", "ahmed"), ("name", "ismailov"), ("full_name", "ahmed ismailov"),
                     ("phone", "9281234567"), ("birth_date", "1990-04-03")}


def test_tags_are_truncated_so_that_different_values_collide_at_the_documented_rate():
    """Birth dates keep 12 bits: among 3000 different dates, about C(3000, 2) / 4096 = 1098 pairs share a
    tag by chance. The false matches are the point: a tag leaves many plausible values to a sweep."""
    start = datetime.date(1940, 1, 1)
    tags = [blind.digest(KEY, "birth_date", (start + datetime.timedelta(days=i)).isoformat()) for i in range(3000)]
    from collections import Counter

    pairs = sum(n * (n - 1) // 2 for n in Counter(tags).values())
    assert 800 < pairs < 1400, pairs
    assert len(set(tags)) <= 2 ** blind.BITS["birth_date"]


def test_every_kind_keeps_the_bits_it_is_documented_with():
    for kind, bits in blind.BITS.items():
        tag = blind.digest(KEY, kind, "x1")
        assert int(tag, 16) < 2 ** bits and len(tag) == (bits + 3) // 4
