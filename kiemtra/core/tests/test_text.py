from kiemtra.core.text import fold, nfc


def test_fold_removes_vietnamese_diacritics_including_d_bar() -> None:
    assert fold("Ủy ban Kiểm tra Đảng ủy Phường Ba Đình") == "uy ban kiem tra dang uy phuong ba dinh"
    assert fold("  NGUYỄN   Văn  Ân ") == "nguyen van an"


def test_nfc_joins_decomposed_input() -> None:
    decomposed = "Hà Nội".encode().decode()  # composed already
    assert nfc("Ha\u0300 No\u0323\u0302i") == decomposed


def _fold_char_by_char(text: str) -> str:
    """``fold`` as it was written first: every character tested in Python."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())


def test_fold_is_the_same_on_its_fast_path_and_off_it() -> None:
    """Vietnamese goes through a fast path (marks dropped in C); any other text the slow one, same result."""
    import random

    rng = random.Random(12)
    vietnamese = "Nội dung phản ánh việc chậm giải quyết đất đai, Phường Ba Đình: ỰỮỲ ĂĐĨŨƠƯ ắặẳẵ ờởỡợ. "
    samples = [vietnamese * 50, "", "  a  b ", "Ê\u0301", "x\u20d0y", "Ⅻ ﬁ ñ 漢字", "\x00\x7f"]
    for _ in range(300):
        samples.append("".join(rng.choice(vietnamese) for _ in range(40)))
        samples.append("".join(chr(rng.randrange(0x20, 0x30000)) for _ in range(40)))
        samples.append(
            "".join(rng.choice([chr(0x301), chr(0x1DC0), "a", "Đ", chr(rng.randrange(0xC0, 0x250))]) for _ in range(40))
        )
    for text in samples:
        assert fold(text) == _fold_char_by_char(text)
