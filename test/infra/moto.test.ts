import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { testS3Endpoint } from '../support/env.js';

void describe('moto S3 server', () => {
  void it('stores and returns an object through the AWS SDK', async () => {
    const s3 = new S3Client({
      endpoint: await testS3Endpoint(),
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const Bucket = `infra-test-${process.pid}`;
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'report.json', Body: '{"ok":true}' }));
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'report.json' }));
      assert.equal(await got.Body?.transformToString(), '{"ok":true}');
    } finally {
      s3.destroy();
    }
  });
});
