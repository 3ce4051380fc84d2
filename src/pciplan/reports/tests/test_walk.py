"""A walk through the cycle in headless Chromium: a unit member fills the annual report, the unit head sends
it, the consolidating unit returns it, it is resent and accepted, and the consolidated DOCX downloads."""

import io

import pytest

pytestmark = pytest.mark.browser


def test_report_round_trip_in_the_browser(browser, tmp_path):
    from docx import Document

    page = browser
    base = page.base_url

    # The unit member opens the annual report from the reports page and fills a task.
    page.sign_in("canbo.qlcn")
    page.goto(f"{base}/bao-cao/")
    page.get_by_role("link", name="Năm 2020").first.click()
    page.get_by_role("link", name="Báo cáo của đơn vị tôi").click()
    page.wait_for_selector("form#bao-cao")
    first = page.locator("form#bao-cao .pp-entry").first
    first.locator("select").select_option("in_progress")
    first.locator("textarea[name$='-done_text']").fill("Khảo sát 60 doanh nghiệp tại lớp tập huấn (nội dung thử nghiệm).")
    first.locator("textarea[name$='-results']").fill("Có danh sách nhu cầu dịch vụ công nghệ (thử nghiệm).")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_selector("text=Đã lưu dự thảo")
    assert "Phê duyệt và gửi" not in page.content()
    report_url = page.url
    page.context.clear_cookies()

    # The unit head approves and sends.
    page.sign_in("truongphong.qlcn")
    page.goto(report_url)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Phê duyệt và gửi").click()
    page.wait_for_selector("text=Đã gửi báo cáo (lần 1)")
    page.context.clear_cookies()

    # The consolidating unit returns it with a comment.
    page.sign_in("khtc")
    page.goto(report_url)
    page.fill("#comment", "Đề nghị bổ sung minh chứng (thử nghiệm).")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Trả lại kèm ý kiến").click()
    page.wait_for_selector("text=Đã trả lại báo cáo")
    page.context.clear_cookies()

    # The member sees the comment and adds a link as evidence; the head resends.
    page.sign_in("canbo.qlcn")
    page.goto(report_url)
    assert "Đề nghị bổ sung minh chứng (thử nghiệm)." in page.content()
    page.fill("#ev-url", "https://bacgiang.gov.vn/")
    page.fill("#ev-title", "Trang đăng tải (thử nghiệm)")
    page.get_by_role("button", name="Thêm minh chứng").click()
    page.wait_for_selector("text=Đã thêm liên kết minh chứng")
    page.context.clear_cookies()
    page.sign_in("truongphong.qlcn")
    page.goto(report_url)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Lưu và gửi lại").click()
    page.wait_for_selector("text=Đã gửi báo cáo (lần 2)")
    page.context.clear_cookies()

    # Accepted, then the consolidated DOCX downloads.
    page.sign_in("khtc")
    page.goto(report_url)
    page.get_by_role("button", name="Tiếp nhận").click()
    page.wait_for_selector("text=Đã tiếp nhận báo cáo")
    assert "Đã tiếp nhận" in page.content()
    page.get_by_role("link", name="Lập báo cáo tổng hợp").click()
    page.wait_for_selector("form#tong-hop")
    with page.expect_download() as info:
        page.click("#tai-docx")
    path = tmp_path / "bao-cao.docx"
    info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert any("Khảo sát 60 doanh nghiệp tại lớp tập huấn" in t for t in texts)
