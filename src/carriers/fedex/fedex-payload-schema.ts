import * as v from "valibot";

const text = v.nullish(v.string());

const location = v.nullish(
  v.looseObject({
    city: text,
    stateOrProvinceCode: text,
    postalCode: text,
    countryCode: text,
  }),
);

const scanEvent = v.looseObject({
  date: text,
  eventType: text,
  eventDescription: text,
  exceptionCode: text,
  exceptionDescription: text,
  derivedStatusCode: text,
  derivedStatus: text,
  scanLocation: location,
});

const trackResult = v.looseObject({
  trackingNumberInfo: v.nullish(
    v.looseObject({ trackingNumber: text, carrierCode: text, trackingNumberUniqueId: text }),
  ),
  latestStatusDetail: v.nullish(
    v.looseObject({
      code: text,
      derivedCode: text,
      statusByLocale: text,
      description: text,
      scanLocation: location,
    }),
  ),
  scanEvents: v.nullish(v.array(scanEvent)),
  dateAndTimes: v.nullish(v.array(v.looseObject({ type: text, dateTime: text }))),
});

const completeTrackResult = v.looseObject({
  trackingNumber: text,
  trackResults: v.pipe(v.array(trackResult), v.minLength(1, "Invalid trackResults: expected at least one")),
});

/**
 * One shipment's state, shaped like a Track API response (carriers-next.md 4.3):
 * `output.completeTrackResults[0].trackResults[0]` is what the event is about, and it must name a
 * tracking number. Every object is loose: FedEx adds POD, estimate and recipient details to the
 * same envelope, and `outputMetaData` changes per attempt.
 */
export const fedexPayloadSchema = v.pipe(
  v.looseObject({
    output: v.looseObject({
      completeTrackResults: v.pipe(
        v.array(completeTrackResult),
        v.minLength(1, "Invalid completeTrackResults: expected at least one"),
      ),
    }),
  }),
  v.forward(
    v.check(
      (p) => fedexTrackingNumber(p) !== null,
      "Invalid tracking number: neither trackingNumber nor trackingNumberInfo.trackingNumber is set",
    ),
    ["output", "completeTrackResults"],
  ),
);

export type FedexPayload = v.InferOutput<typeof fedexPayloadSchema>;
export type FedexTrackResult = v.InferOutput<typeof trackResult>;
export type FedexScanEvent = v.InferOutput<typeof scanEvent>;

type Envelope = { output: { completeTrackResults: v.InferOutput<typeof completeTrackResult>[] } };

/** The result the event is about: the first of the first tracking number. */
export function fedexResult(p: Envelope): FedexTrackResult {
  return p.output.completeTrackResults[0]?.trackResults[0] as FedexTrackResult;
}

export function fedexTrackingNumber(p: Envelope): string | null {
  const first = p.output.completeTrackResults[0];
  return first?.trackingNumber || first?.trackResults[0]?.trackingNumberInfo?.trackingNumber || null;
}
