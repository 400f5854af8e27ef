"""The CreateTransformJob fields a batch transform runs with, and SageMaker's constraints between them.

Sizes: `max_payload_mb` in MiB (1 MB = 1,048,576 bytes, as the containers' MAX_CONTENT_LENGTH counts);
0 means no limit (SageMaker's chunked mode), i.e. a whole file per request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from serving.batch import jsonpath
from serving.codecs import CSV, JSON, JSONLINES, canonical, content_media

DATA_TYPES = (CSV, JSON, JSONLINES)  # the types whose records filters and joins can read
SPLIT_TYPES = ("None", "Line", "RecordIO")
S3_DATA_TYPES = ("S3Prefix", "ManifestFile")
COMPRESSION_TYPES = ("None", "Gzip")
STRATEGIES = ("SingleRecord", "MultiRecord")
MB = 1024 * 1024
MAX_PAYLOAD_MB = 100
DEFAULTS = {"batch_strategy": "MultiRecord", "max_payload_mb": 6, "max_concurrent_transforms": 1}


class OptionsError(ValueError):
    """A combination of transform options SageMaker would refuse; the message names the fields."""


@dataclass(frozen=True)
class TransformOptions:
    content_type: str = CSV
    accept: str = CSV
    split_type: str = "Line"
    batch_strategy: str | None = None  # None: ask /execution-parameters, else DEFAULTS
    max_payload_mb: int | None = None
    max_concurrent_transforms: int | None = None
    assemble_with: str = "Line"
    input_filter: str = "$"
    join_source: str = "None"
    output_filter: str = "$"
    max_retries: int = 3  # ModelClientConfig.InvocationsMaxRetries
    timeout_s: int = 600  # ModelClientConfig.InvocationsTimeoutInSeconds
    s3_data_type: str = "S3Prefix"  # TransformInput.DataSource.S3DataSource.S3DataType
    compression_type: str = "None"  # TransformInput.CompressionType

    @property
    def content_media(self) -> str:
        """ContentType's registered name (`text/csv; charset=utf-8` -> `text/csv`, aliases resolved)."""
        return content_media(self.content_type)

    @property
    def accept_media(self) -> str:
        return canonical(self.accept)

    @property
    def data_processing(self) -> bool:
        """True when a filter or a join is set: records are handled one by one, not as opaque bytes."""
        return self.input_filter != "$" or self.output_filter != "$" or self.join_source == "Input"

    @property
    def payload_limit(self) -> int | None:
        """Bytes per request, None when unlimited (MaxPayloadInMB = 0)."""
        return self.max_payload_mb * MB if self.max_payload_mb else None

    def resolved(self, container_answer: dict | None) -> TransformOptions:
        """Unset fields from the container's /execution-parameters answer, then SageMaker's defaults."""
        answer = container_answer or {}
        strategy = {"SINGLE_RECORD": "SingleRecord", "MULTI_RECORD": "MultiRecord"}.get(answer.get("BatchStrategy"))
        chosen = replace(
            self,
            batch_strategy=self.batch_strategy or strategy or DEFAULTS["batch_strategy"],
            max_payload_mb=self.max_payload_mb if self.max_payload_mb is not None
            else answer.get("MaxPayloadInMB", DEFAULTS["max_payload_mb"]),
            max_concurrent_transforms=self.max_concurrent_transforms or answer.get("MaxConcurrentTransforms")
            or DEFAULTS["max_concurrent_transforms"],
        )
        chosen.validate()
        return chosen

    def validate(self) -> None:
        """OptionsError for anything SageMaker refuses (checked before any file is read)."""
        _one_of("SplitType", self.split_type, (*SPLIT_TYPES, "TFRecord"))
        if self.split_type == "TFRecord":
            raise OptionsError("SplitType TFRecord is not supported here (only None, Line, RecordIO)")
        _one_of("AssembleWith", self.assemble_with, ("None", "Line"))
        _one_of("JoinSource", self.join_source, ("None", "Input"))
        if self.batch_strategy is not None:
            _one_of("BatchStrategy", self.batch_strategy, STRATEGIES)
        if self.max_payload_mb is not None and not 0 <= self.max_payload_mb <= MAX_PAYLOAD_MB:
            raise OptionsError(f"MaxPayloadInMB must be 0..{MAX_PAYLOAD_MB}, got {self.max_payload_mb}")
        if self.max_concurrent_transforms is not None and self.max_concurrent_transforms < 1:
            raise OptionsError(f"MaxConcurrentTransforms must be >= 1, got {self.max_concurrent_transforms}")
        if self.max_concurrent_transforms and self.max_payload_mb \
                and self.max_concurrent_transforms * self.max_payload_mb > MAX_PAYLOAD_MB:
            raise OptionsError(f"MaxConcurrentTransforms x MaxPayloadInMB = "
                               f"{self.max_concurrent_transforms * self.max_payload_mb} exceeds {MAX_PAYLOAD_MB} MB")
        _one_of("S3DataType", self.s3_data_type, S3_DATA_TYPES)
        _one_of("CompressionType", self.compression_type, COMPRESSION_TYPES)
        if self.timeout_s < 1 or self.timeout_s > 3600:
            raise OptionsError(f"InvocationsTimeoutInSeconds must be 1..3600, got {self.timeout_s}")
        if not 0 <= self.max_retries <= 3:
            raise OptionsError(f"InvocationsMaxRetries must be 0..3, got {self.max_retries}")
        self._validate_data_processing()

    def _validate_data_processing(self) -> None:
        for field, path in (("InputFilter", self.input_filter), ("OutputFilter", self.output_filter)):
            try:
                parsed = jsonpath.parse(path)
            except jsonpath.JsonPathError as exc:
                raise OptionsError(f"{field}: {exc}") from None
            if self.content_media == CSV and not parsed.index_only:
                raise OptionsError(f"{field} {path!r}: for text/csv only index-based JSONPaths apply, e.g. $[0], $[1:]")
        if not self.data_processing:
            return
        if self.content_media not in DATA_TYPES or self.accept_media not in DATA_TYPES:
            raise OptionsError(f"filters and joins need ContentType and Accept among {', '.join(DATA_TYPES)} "
                               f"(got {self.content_type} / {self.accept})")
        if self.content_media == CSV and self.accept_media == CSV \
                and (self.split_type != "Line" or self.assemble_with != "Line"):
            raise OptionsError("with text/csv in and out, filters and joins need SplitType Line and AssembleWith Line")
        if self.split_type == "RecordIO":
            raise OptionsError("filters and joins apply to text records: SplitType must be Line or None")

    def describe(self) -> str:
        """The log line SageMaker writes at the start of a job."""
        strategy = {"SingleRecord": "SINGLE_RECORD", "MultiRecord": "MULTI_RECORD"}.get(self.batch_strategy or "")
        return (f"MaxConcurrentTransforms={self.max_concurrent_transforms}, MaxPayloadInMB={self.max_payload_mb}, "
                f"BatchStrategy={strategy}")


def _one_of(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise OptionsError(f"{field} must be one of {', '.join(allowed)}, got {value!r}")
