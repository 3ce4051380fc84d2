"""Password rule added to Django's: mix at least three kinds of characters."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum([any(c.islower() for c in password), any(c.isupper() for c in password),
                    any(c.isdigit() for c in password), any(not c.isalnum() for c in password)])

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return (f"Mật khẩu phải có ít nhất {self.min_classes} trong 4 loại ký tự: chữ thường, chữ hoa, chữ số, "
                "ký hiệu (ví dụ - _ ! @).")
