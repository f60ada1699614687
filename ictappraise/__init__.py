"""ictappraise — thẩm định, xếp hạng ứng dụng công nghệ thông tin (Tổ thẩm định Tỉnh ủy Bình Thuận)."""

__version__ = "0.1.0"
