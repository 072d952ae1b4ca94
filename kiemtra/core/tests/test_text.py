from kiemtra.core.text import fold, nfc


def test_fold_removes_vietnamese_diacritics_including_d_bar() -> None:
    assert fold("Ủy ban Kiểm tra Đảng ủy Phường Ba Đình") == "uy ban kiem tra dang uy phuong ba dinh"
    assert fold("  NGUYỄN   Văn  Ân ") == "nguyen van an"


def test_nfc_joins_decomposed_input() -> None:
    decomposed = "Hà Nội".encode().decode()  # composed already
    assert nfc("Ha\u0300 No\u0323\u0302i") == decomposed
