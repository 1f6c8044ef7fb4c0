"""The letters API: the merge-field catalogue, templates (checked when saved), a preview for
one contact, and jobs that make letters for a list of contacts (a search result)."""

import asyncio
import uuid
from datetime import datetime

from fastapi import APIRouter, Request, Response

from kring_billing.deps import SettingsDep, Today
from kring_billing.letters import jobs
from kring_billing.letters.catalogue import EXTRA_FILTERS, MERGE_FIELDS
from kring_billing.letters.engine import LetterTemplate, RenderFailed, first_page_png
from kring_billing.letters.merge_data import merge_contexts, sample_context
from kring_billing.letters.models import LetterJob, LetterTemplateRow
from kring_billing.letters.schemas import (
    JobIn,
    JobOut,
    MergeFieldOut,
    MergeFieldsOut,
    PreviewIn,
    TemplateIn,
    TemplateOut,
    TemplateSummaryOut,
)
from kring_billing.letters.templates import (
    change_template,
    checked,
    create_template,
    delete_template,
    list_templates,
    template_of,
)
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES, InvalidInput, NotFound
from kring_platform.schemas import model_of

router = APIRouter(prefix="/letters", tags=["letters"])
PDF_RESPONSE = {200: {"content": {"application/pdf": {}, "image/png": {}}}, **PROBLEM_RESPONSES}


def _template_out(row: LetterTemplateRow) -> TemplateOut:
    return TemplateOut.model_validate(row, from_attributes=True)


def _job_out(job: LetterJob) -> JobOut:
    download_url = f"/letters/jobs/{job.id}/download" if job.status == "done" else None
    return model_of(JobOut, job, download_url=download_url)


def _now() -> datetime:
    return datetime.now().astimezone()


def _runner(request: Request, runtime: RuntimeDep, settings: SettingsDep) -> jobs.JobRunner:
    runner: jobs.JobRunner | None = getattr(request.app.state, "letter_jobs", None)
    if runner is None:
        runner = request.app.state.letter_jobs = jobs.JobRunner(runtime.database, settings)
    return runner


@router.get("/merge-fields", response_model=MergeFieldsOut, responses=PROBLEM_RESPONSES)
async def merge_fields() -> MergeFieldsOut:
    """The merge fields templates may use (the editor shows them) and the extra filters."""
    return MergeFieldsOut(
        fields=[
            MergeFieldOut.model_validate(field, from_attributes=True) for field in MERGE_FIELDS
        ],
        filters=list(EXTRA_FILTERS),
    )


@router.get("/templates", response_model=list[TemplateSummaryOut], responses=PROBLEM_RESPONSES)
async def templates(runtime: RuntimeDep) -> list[TemplateSummaryOut]:
    async with runtime.database.transaction() as session:
        return [_template_out(row) for row in await list_templates(session)]


@router.post("/templates", response_model=TemplateOut, status_code=201, responses=PROBLEM_RESPONSES)
async def new_template(body: TemplateIn, runtime: RuntimeDep) -> TemplateOut:
    """Saves a new template; an unknown merge field is refused (422, its line named)."""
    async with runtime.unit_of_work() as work:
        row = await create_template(
            work, body.name, body.language, LetterTemplate(body.html, body.css)
        )
        return _template_out(row)


@router.get("/templates/{template_id}", response_model=TemplateOut, responses=PROBLEM_RESPONSES)
async def template(template_id: uuid.UUID, runtime: RuntimeDep) -> TemplateOut:
    async with runtime.database.transaction() as session:
        return _template_out(await template_of(session, template_id))


@router.put("/templates/{template_id}", response_model=TemplateOut, responses=PROBLEM_RESPONSES)
async def save_template(
    template_id: uuid.UUID, body: TemplateIn, runtime: RuntimeDep
) -> TemplateOut:
    """Saves a template's new text; an unknown merge field is refused (422, nothing saved)."""
    async with runtime.unit_of_work() as work:
        row = await change_template(
            work, template_id, body.name, LetterTemplate(body.html, body.css)
        )
        return _template_out(row)


@router.delete("/templates/{template_id}", status_code=204, responses=PROBLEM_RESPONSES)
async def remove_template(template_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """Deletes a template; 409 for a shipped one and while a reminder level uses it."""
    async with runtime.unit_of_work() as work:
        await delete_template(work, template_id)
    return Response(status_code=204)


@router.post("/preview", response_class=Response, responses=PDF_RESPONSE)
async def preview(
    body: PreviewIn, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> Response:
    """The letter as PDF for one contact (or sample data), from a saved template or the text
    being edited (checked as a save would be: 422 with the unknown fields)."""
    period = body.period(today)
    async with runtime.database.transaction() as session:
        if body.template_id is not None:
            row = await template_of(session, body.template_id)
            letter = LetterTemplate(row.html, row.css)
        else:
            letter = checked(LetterTemplate(body.html or "", body.css))
        if body.contact_id is None:
            context = sample_context(settings, period, today)
        else:
            found = await merge_contexts(session, [body.contact_id], period, today, settings)
            if body.contact_id not in found:
                raise NotFound(f"contact {body.contact_id} is not known to billing")
            context = found[body.contact_id]
    try:
        pdf = await asyncio.to_thread(jobs.render_one, letter, context)
    except RenderFailed as exc:
        raise InvalidInput(f"the template failed on this contact's data: {exc}") from exc
    if body.format == "png":
        return Response(await asyncio.to_thread(first_page_png, pdf), media_type="image/png")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="preview.pdf"'},
    )


@router.post("/jobs", response_model=JobOut, status_code=202, responses=PROBLEM_RESPONSES)
async def start_job(
    body: JobIn, request: Request, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> JobOut:
    """Starts making the template's letter for each contact (in the order given); poll the
    job for `done` of `total`, then download one PDF or a zip of one PDF per contact."""
    request_ = jobs.JobRequest(
        body.template_id, body.contact_ids, body.period(today), body.output_format
    )
    async with runtime.database.transaction() as session:
        job = await jobs.create_job(session, request_, _now())
        answer = _job_out(job)
    _runner(request, runtime, settings).start(job.id, today)
    return answer


@router.get("/jobs/{job_id}", response_model=JobOut, responses=PROBLEM_RESPONSES)
async def job(job_id: uuid.UUID, runtime: RuntimeDep) -> JobOut:
    async with runtime.database.transaction() as session:
        return _job_out(await jobs.job_of(session, job_id, _now()))


@router.get(
    "/jobs/{job_id}/download",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "application/zip": {}}},
        **PROBLEM_RESPONSES,
    },
)
async def download(job_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """The job's output (409 while it is not done); kept a day after the first download."""
    async with runtime.database.transaction() as session:
        job = await jobs.take_output(session, job_id, _now())
        output, filename, kind = job.output or b"", job.filename, job.output_format
    media_type = "application/zip" if kind == "zip" else "application/pdf"
    return Response(
        output,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
