import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { EmailTemplate } from './template.schema';

@Injectable()
export class TemplateRepository {
  constructor(@InjectModel(EmailTemplate.name) private readonly templates: Model<EmailTemplate>) {}

  async insert(scope: FirmScope, t: Pick<EmailTemplate, 'name' | 'subject' | 'body'>): Promise<EmailTemplate> {
    return (await this.templates.create({ ...t, firmId: scope.firmId })).toObject();
  }

  async list(scope: FirmScope): Promise<EmailTemplate[]> {
    return this.templates
      .find(scoped<EmailTemplate>(scope))
      .sort({ createdAt: 1, _id: 1 })
      .limit(500)
      .lean<EmailTemplate[]>()
      .exec();
  }

  async findById(scope: FirmScope, id: string): Promise<EmailTemplate | null> {
    return this.templates
      .findOne(scoped<EmailTemplate>(scope, { _id: id }))
      .lean<EmailTemplate>()
      .exec();
  }

  async update(
    scope: FirmScope,
    id: string,
    set: Partial<Pick<EmailTemplate, 'name' | 'subject' | 'body'>>,
  ): Promise<EmailTemplate | null> {
    return this.templates
      .findOneAndUpdate(scoped<EmailTemplate>(scope, { _id: id }), { $set: set }, { new: true })
      .lean<EmailTemplate>()
      .exec();
  }

  async remove(scope: FirmScope, id: string): Promise<boolean> {
    return (await this.templates.deleteOne(scoped<EmailTemplate>(scope, { _id: id }))).deletedCount === 1;
  }
}
