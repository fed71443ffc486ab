/**
 * Lazy loaders for the AWS SDK modules. floe pins SDK 3.1175.0 deliberately (later releases need Node 22);
 * the SDK's "Node 22 will be required" notice would otherwise print on every first use, so it is turned
 * off unless the user set the variable themselves.
 */
function quietNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function loadS3(): Promise<typeof import('@aws-sdk/client-s3')> {
  quietNodeVersionNotice();
  return import('@aws-sdk/client-s3');
}

export async function loadSqs(): Promise<typeof import('@aws-sdk/client-sqs')> {
  quietNodeVersionNotice();
  return import('@aws-sdk/client-sqs');
}

export async function loadLibStorage(): Promise<typeof import('@aws-sdk/lib-storage')> {
  quietNodeVersionNotice();
  return import('@aws-sdk/lib-storage');
}
